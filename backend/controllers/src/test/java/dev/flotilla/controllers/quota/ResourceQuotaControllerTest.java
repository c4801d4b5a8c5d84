package dev.flotilla.controllers.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

class ResourceQuotaControllerTest {

    @Test
    void onlyUpdatesThatReleaseOrChangeUsageQueueARecount() {
        Pod running = new PodBuilder().withNewStatus().withPhase("Running").endStatus().build();
        Pod succeeded = new PodBuilder().withNewStatus().withPhase("Succeeded").endStatus().build();
        assertThat(ResourceQuotaController.usageChanged(running, succeeded)).isTrue();
        assertThat(ResourceQuotaController.usageChanged(running, running)).isFalse();

        Service clusterIp = new ServiceBuilder().withNewSpec().withType("ClusterIP").addNewPort().withPort(80).endPort()
                .endSpec().build();
        Service nodePort = new ServiceBuilder(clusterIp).editSpec().withType("NodePort").endSpec().build();
        assertThat(ResourceQuotaController.usageChanged(clusterIp, nodePort)).isTrue();
        assertThat(ResourceQuotaController.usageChanged(nodePort, nodePort)).isFalse();

        var configMap = new ConfigMapBuilder().addToData("a", "b").build();
        assertThat(ResourceQuotaController.usageChanged(configMap, new ConfigMapBuilder().build())).isFalse();
    }
}
