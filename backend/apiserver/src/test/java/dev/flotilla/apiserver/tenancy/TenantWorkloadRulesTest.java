package dev.flotilla.apiserver.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import org.junit.jupiter.api.Test;

class TenantWorkloadRulesTest {

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text.replace('\'', '"'));
    }

    private final JsonNode registries = Json.mapper().createArrayNode().add("127.0.0.1:5000").add("docker.io");

    @Test
    void theRegistryIsReadAsTheRuntimeReadsAReference() {
        assertThat(TenantWorkloadRules.registryOf("busybox")).isEqualTo("docker.io");
        assertThat(TenantWorkloadRules.registryOf("library/busybox:1.36")).isEqualTo("docker.io");
        assertThat(TenantWorkloadRules.registryOf("127.0.0.1:5000/flotilla/echo")).isEqualTo("127.0.0.1:5000");
        assertThat(TenantWorkloadRules.registryOf("localhost/x")).isEqualTo("localhost");
        assertThat(TenantWorkloadRules.registryOf("ghcr.io/acme/app@sha256:ab")).isEqualTo("ghcr.io");
        assertThat(TenantWorkloadRules.allowed("quay.io/x", registries)).isFalse();
        assertThat(TenantWorkloadRules.allowed("nginx", registries)).isTrue();
    }

    @Test
    void theNodePoolIsForcedAndAConflictingSelectorRefused() throws Exception {
        ObjectNode tenant = json("{'metadata':{'name':'acme'},'spec':{'nodeSelector':{'pool':'acme'},"
                + "'tolerations':[{'key':'pool','operator':'Equal','value':'acme','effect':'NoSchedule'}]}}");
        ObjectNode pod = json("{'spec':{'containers':[{'name':'a','image':'x'}]}}");
        assertThat(TenantWorkloadRules.forceNodePool(tenant, pod)).isEmpty();
        assertThat(TenantWorkloadRules.forceNodePool(tenant, pod)).isEmpty();
        assertThat(pod.path("spec").path("nodeSelector").path("pool").asText()).isEqualTo("acme");
        assertThat(pod.path("spec").path("tolerations")).hasSize(1);

        ObjectNode other = json("{'spec':{'nodeSelector':{'pool':'gpu'}}}");
        assertThat(TenantWorkloadRules.forceNodePool(tenant, other)).contains(
                "pod node label selector conflicts with its tenant's node selector (pool=acme)");
    }

    @Test
    void hostAccessAndExternalServicesNeedTheAllowFlags() throws Exception {
        ObjectNode tenant = json("{'metadata':{'name':'acme'},'spec':{'allow':{'loadBalancer':true}}}");
        assertThat(TenantWorkloadRules.checkPod(tenant, json("{'spec':{'hostNetwork':true}}")))
                .contains("tenant acme does not allow host networking (spec.hostNetwork)");
        assertThat(TenantWorkloadRules.checkPod(tenant, json("{'spec':{'volumes':[{'name':'a','emptyDir':{}},"
                + "{'name':'b','hostPath':{'path':'/'}}]}}")))
                .contains("tenant acme does not allow hostPath volumes (spec.volumes[1].hostPath)");
        assertThat(TenantWorkloadRules.checkService(tenant, json("{'spec':{'type':'NodePort'}}")))
                .contains("tenant acme does not allow Services of type NodePort");
        assertThat(TenantWorkloadRules.checkService(tenant, json("{'spec':{'type':'LoadBalancer'}}"))).isEmpty();
        assertThat(TenantWorkloadRules.checkService(tenant, json("{'spec':{}}"))).isEmpty();
    }
}
