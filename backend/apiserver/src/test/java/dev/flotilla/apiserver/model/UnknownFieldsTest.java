package dev.flotilla.apiserver.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {

    @Test
    void findsAndDropsUnknownFieldsAtEveryDepth() throws Exception {
        ObjectNode deployment = (ObjectNode) Json.mapper().readTree("""
                {"apiVersion":"apps/v1","kind":"Deployment","bogus":1,
                 "metadata":{"name":"d","labels":{"any-key":"fine"},"nmae":"x"},
                 "spec":{"replcas":2,"replicas":1,"strategy":{"rollingUpdate":{"maxSurge":"25%"}},
                  "template":{"spec":{"containers":[{"name":"c","image":"i","imagePolicy":"Always",
                   "resources":{"limits":{"cpu":"1"}},"env":[{"name":"A","valu":"1"}]}]}}}}""");

        assertThat(UnknownFields.prune(deployment, Deployment.class)).containsExactly("bogus", "metadata.nmae",
                "spec.replcas", "spec.template.spec.containers[0].imagePolicy",
                "spec.template.spec.containers[0].env[0].valu");
        assertThat(deployment.toString()).doesNotContain("bogus", "nmae", "replcas", "imagePolicy", "valu\"")
                .contains("\"any-key\":\"fine\"", "\"maxSurge\":\"25%\"", "\"cpu\":\"1\"");
    }

    @Test
    void knownObjectsAreLeftAlone() throws Exception {
        ObjectNode configMap = (ObjectNode) Json.mapper().readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"k\":\"v\"},"
                        + "\"immutable\":true}");
        String before = configMap.toString();
        assertThat(UnknownFields.prune(configMap, ConfigMap.class)).isEmpty();
        assertThat(configMap.toString()).isEqualTo(before);
    }
}
