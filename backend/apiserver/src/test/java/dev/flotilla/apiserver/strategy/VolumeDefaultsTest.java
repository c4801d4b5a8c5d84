package dev.flotilla.apiserver.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import org.junit.jupiter.api.Test;

class VolumeDefaultsTest {

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void modesTokenLifetimeAndFieldRefVersionAreDefaultedAsUpstreamAndExplicitValuesKept() throws Exception {
        ObjectNode spec = json("{'volumes':[{'name':'s','secret':{'secretName':'x'}},"
                + "{'name':'c','configMap':{'name':'x','defaultMode':256}},"
                + "{'name':'d','downwardAPI':{'items':[{'path':'n','fieldRef':{'fieldPath':'metadata.name'}}]}},"
                + "{'name':'p','projected':{'sources':[{'serviceAccountToken':{'path':'t'}},"
                + "{'serviceAccountToken':{'path':'u','expirationSeconds':7200}},"
                + "{'downwardAPI':{'items':[{'path':'ns','fieldRef':{'fieldPath':'metadata.namespace'}}]}}]}},"
                + "{'name':'e','emptyDir':{}}]}");
        VolumeDefaults.apply(spec);
        assertThat(spec.at("/volumes/0/secret/defaultMode").asInt()).isEqualTo(420);
        assertThat(spec.at("/volumes/1/configMap/defaultMode").asInt()).isEqualTo(256);
        assertThat(spec.at("/volumes/2/downwardAPI/defaultMode").asInt()).isEqualTo(420);
        assertThat(spec.at("/volumes/2/downwardAPI/items/0/fieldRef/apiVersion").asText()).isEqualTo("v1");
        assertThat(spec.at("/volumes/3/projected/defaultMode").asInt()).isEqualTo(420);
        assertThat(spec.at("/volumes/3/projected/sources/0/serviceAccountToken/expirationSeconds").asLong())
                .isEqualTo(3600);
        assertThat(spec.at("/volumes/3/projected/sources/1/serviceAccountToken/expirationSeconds").asLong())
                .isEqualTo(7200);
        assertThat(spec.at("/volumes/3/projected/sources/2/downwardAPI/items/0/fieldRef/apiVersion").asText())
                .isEqualTo("v1");
        assertThat(spec.at("/volumes/4").toString()).isEqualTo("{\"name\":\"e\",\"emptyDir\":{}}");
    }
}
