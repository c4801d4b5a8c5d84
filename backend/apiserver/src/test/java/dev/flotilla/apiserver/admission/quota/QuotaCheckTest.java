package dev.flotilla.apiserver.admission.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaCheckTest {

    @Test
    void chargesTheObjectIntoUsedWhileItFits() {
        ResourceQuota quota = quota(Map.of("pods", "3", "requests.cpu", "1"), Map.of("pods", "1", "requests.cpu", "250m"));
        assertThat(QuotaCheck.charge(quota, "", "pods", pod("c", "500m", "64Mi")).orElseThrow())
                .containsEntry("pods", new Quantity("2")).containsEntry("requests.cpu", new Quantity("750m"));
    }

    @Test
    void refusesWithUpstreamsWordsNamingOnlyWhatIsExceeded() {
        ResourceQuota quota = quota(Map.of("pods", "2", "requests.cpu", "4"), Map.of("pods", "2", "requests.cpu", "0"));
        assertThatThrownBy(() -> QuotaCheck.charge(quota, "", "pods", pod("c", "1", "1Gi")))
                .hasMessage("exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
    }

    @Test
    void aQuotaWithoutUsageYetRefusesWhatItWouldCount() {
        ResourceQuota quota = quota(Map.of("count/configmaps", "2"), Map.of());
        assertThatThrownBy(() -> QuotaCheck.charge(quota, "", "configmaps", new ConfigMap()))
                .hasMessage("status unknown for quota: q, resources: count/configmaps");
    }

    @Test
    void podsMustStateTheComputeResourcesTheQuotaLimits() {
        ResourceQuota quota = quota(Map.of("limits.cpu", "2", "requests.memory", "1Gi"),
                Map.of("limits.cpu", "0", "requests.memory", "0"));
        Pod pod = new PodBuilder().withNewSpec().addNewContainer().withName("b").endContainer()
                .addNewContainer().withName("a").endContainer().endSpec().build();
        assertThatThrownBy(() -> QuotaCheck.charge(quota, "", "pods", pod))
                .hasMessage("failed quota: q: must specify limits.cpu for: a,b; requests.memory for: a,b");
    }

    @Test
    void onlyWhatAQuotaNamesAndScopesMatchIsCharged() {
        ResourceQuota counts = quota(Map.of("services.nodeports", "4", "services", "5"),
                Map.of("services.nodeports", "0", "services", "0"));
        var nodePort = new ServiceBuilder().withNewSpec().withType("NodePort").addNewPort().withPort(80).endPort()
                .addNewPort().withPort(443).endPort().endSpec().build();
        assertThat(QuotaCheck.charge(counts, "", "services", nodePort).orElseThrow())
                .containsEntry("services.nodeports", new Quantity("2")).containsEntry("services", new Quantity("1"));
        assertThat(QuotaCheck.charge(counts, "", "configmaps", new ConfigMap())).isEmpty();

        ResourceQuota bestEffort = new ResourceQuotaBuilder(quota(Map.of("pods", "1"), Map.of("pods", "0")))
                .editSpec().withScopes("BestEffort").endSpec().build();
        assertThat(QuotaCheck.charge(bestEffort, "", "pods", pod("c", "1", "1Gi"))).isEmpty();
        assertThat(QuotaCheck.charge(bestEffort, "", "pods", new PodBuilder().withNewSpec().addNewContainer()
                .withName("c").endContainer().endSpec().build())).isPresent();
        assertThat(QuotaCheck.charge(bestEffort, "", "secrets", new ConfigMap())).isEmpty();
    }

    @Test
    void aReleaseGivesBackWhatTheObjectChargedAndNeverGoesBelowZero() {
        ResourceQuota quota = quota(Map.of("pods", "3", "requests.cpu", "1", "services", "2"),
                Map.of("pods", "2", "requests.cpu", "750m", "services", "1"));
        assertThat(QuotaCheck.release(quota, "", "pods", pod("c", "500m", "64Mi")).orElseThrow())
                .containsEntry("pods", new Quantity("1")).containsEntry("requests.cpu", new Quantity("250m"))
                .containsEntry("services", new Quantity("1"));
        ResourceQuota recounted = quota(Map.of("pods", "3"), Map.of("pods", "0"));
        assertThat(QuotaCheck.release(recounted, "", "pods", pod("c", "1", "1Gi")).orElseThrow())
                .containsEntry("pods", new Quantity("0"));
        assertThat(QuotaCheck.release(recounted, "", "configmaps", new ConfigMap())).isEmpty();
    }

    @Test
    void aTenantsAggregateQuotaIsNamedAfterTheTenantInRefusals() {
        ObjectNode tenantQuota = Json.mapper().valueToTree(quota(Map.of("pods", "10"), Map.of("pods", "10")));
        tenantQuota.put("apiVersion", "tenancy.flotilla.dev/v1").put("kind", "TenantResourceQuota");
        tenantQuota.with("metadata").put("name", "acme").put("resourceVersion", "42");
        QuotaRecord record = new QuotaRecord(null, null, "tenant-acme", tenantQuota);
        assertThat(record.revision()).isEqualTo(42);
        assertThatThrownBy(() -> QuotaCheck.charge(record.quota(), "", "pods", pod("c", "1", "1Gi")))
                .hasMessage("exceeded quota: tenant-acme, requested: pods=1, used: pods=10, limited: pods=10");
    }

    private static Pod pod(String container, String cpu, String memory) {
        return new PodBuilder().withNewSpec().addNewContainer().withName(container).withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).addToLimits("memory", new Quantity(memory)).endResources()
                .endContainer().endSpec().build();
    }

    private static ResourceQuota quota(Map<String, String> hard, Map<String, String> used) {
        Map<String, Quantity> hardQuantities = new LinkedHashMap<>();
        hard.forEach((k, v) -> hardQuantities.put(k, new Quantity(v)));
        Map<String, Quantity> usedQuantities = new LinkedHashMap<>();
        used.forEach((k, v) -> usedQuantities.put(k, new Quantity(v)));
        return new ResourceQuotaBuilder().withNewMetadata().withName("q").endMetadata().withNewSpec()
                .withHard(hardQuantities).endSpec().withNewStatus().withHard(hardQuantities).withUsed(usedQuantities)
                .endStatus().build();
    }
}
