package dev.flotilla.apiserver.admission.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import org.junit.jupiter.api.Test;

class TokenVolumeTest {

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void everyContainerAndInitContainerGetsUpstreamsProjectedVolumeReadOnly() throws Exception {
        ObjectNode spec = json("{'initContainers':[{'name':'init'}],'containers':[{'name':'a',"
                + "'volumeMounts':[{'name':'data','mountPath':'/data'}]},{'name':'b'}],'volumes':[{'name':'data','emptyDir':{}}]}");
        TokenVolume.mount(spec, () -> "kube-api-access-x2b4z");

        assertThat(spec.path("volumes").toString()).isEqualTo("[{\"name\":\"data\",\"emptyDir\":{}},"
                + "{\"name\":\"kube-api-access-x2b4z\",\"projected\":{\"defaultMode\":420,\"sources\":["
                + "{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}},"
                + "{\"configMap\":{\"items\":[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}],\"name\":\"kube-root-ca.crt\"}},"
                + "{\"downwardAPI\":{\"items\":[{\"path\":\"namespace\",\"fieldRef\":{\"apiVersion\":\"v1\","
                + "\"fieldPath\":\"metadata.namespace\"}}]}}]}}]");
        String mount = "{\"name\":\"kube-api-access-x2b4z\",\"readOnly\":true,"
                + "\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}";
        assertThat(spec.at("/initContainers/0/volumeMounts").toString()).isEqualTo("[" + mount + "]");
        assertThat(spec.at("/containers/0/volumeMounts").toString())
                .isEqualTo("[{\"name\":\"data\",\"mountPath\":\"/data\"}," + mount + "]");
        assertThat(spec.at("/containers/1/volumeMounts").toString()).isEqualTo("[" + mount + "]");
    }

    @Test
    void aContainerMountingThePathItselfIsSkippedAndNoVolumeIsAddedWhenNoneNeedsIt() throws Exception {
        ObjectNode spec = json("{'containers':[{'name':'a','volumeMounts':[{'name':'own',"
                + "'mountPath':'/var/run/secrets/kubernetes.io/serviceaccount'}]}],'volumes':[{'name':'own','emptyDir':{}}]}");
        TokenVolume.mount(spec, () -> "kube-api-access-aaaaa");
        assertThat(spec.at("/containers/0/volumeMounts").size()).isEqualTo(1);
        assertThat(spec.path("volumes").size()).isEqualTo(1);

        ObjectNode mixed = json("{'containers':[{'name':'a','volumeMounts':[{'name':'own',"
                + "'mountPath':'/var/run/secrets/kubernetes.io/serviceaccount'}]},{'name':'b'}]}");
        TokenVolume.mount(mixed, () -> "kube-api-access-bbbbb");
        assertThat(mixed.at("/containers/0/volumeMounts").size()).isEqualTo(1);
        assertThat(mixed.at("/containers/1/volumeMounts/0/name").asText()).isEqualTo("kube-api-access-bbbbb");
        assertThat(mixed.at("/volumes/0/name").asText()).isEqualTo("kube-api-access-bbbbb");
    }

    @Test
    void anExistingKubeApiAccessVolumeIsReusedNotDuplicated() throws Exception {
        ObjectNode spec = json("{'containers':[{'name':'a'}],'volumes':[{'name':'kube-api-access-keep1',"
                + "'projected':{'sources':[]}}]}");
        TokenVolume.mount(spec, () -> "kube-api-access-other");
        assertThat(spec.path("volumes").size()).isEqualTo(1);
        assertThat(spec.at("/containers/0/volumeMounts/0/name").asText()).isEqualTo("kube-api-access-keep1");
    }

    @Test
    void automountFollowsThePodThenTheAccountThenDefaultsToTrue() throws Exception {
        assertThat(TokenVolume.shouldAutomount(json("{}"), null)).isTrue();
        assertThat(TokenVolume.shouldAutomount(json("{}"), json("{}"))).isTrue();
        assertThat(TokenVolume.shouldAutomount(json("{}"), json("{'automountServiceAccountToken':false}"))).isFalse();
        assertThat(TokenVolume.shouldAutomount(json("{'automountServiceAccountToken':true}"),
                json("{'automountServiceAccountToken':false}"))).isTrue();
        assertThat(TokenVolume.shouldAutomount(json("{'automountServiceAccountToken':false}"), null)).isFalse();
    }
}
