package dev.flotilla.controllers.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

class CountedObjectsTest {

    @Test
    void onlyUpdatesThatReleaseOrChangeUsageQueueARecount() {
        Pod running = new PodBuilder().withNewStatus().withPhase("Running").endStatus().build();
        Pod succeeded = new PodBuilder().withNewStatus().withPhase("Succeeded").endStatus().build();
        assertThat(CountedObjects.usageChanged(running, succeeded)).isTrue();
        assertThat(CountedObjects.usageChanged(running, running)).isFalse();

        Service clusterIp = new ServiceBuilder().withNewSpec().withType("ClusterIP").addNewPort().withPort(80).endPort()
                .endSpec().build();
        Service nodePort = new ServiceBuilder(clusterIp).editSpec().withType("NodePort").endSpec().build();
        assertThat(CountedObjects.usageChanged(clusterIp, nodePort)).isTrue();
        assertThat(CountedObjects.usageChanged(nodePort, nodePort)).isFalse();

        var configMap = new ConfigMapBuilder().addToData("a", "b").build();
        assertThat(CountedObjects.usageChanged(configMap, new ConfigMapBuilder().build())).isFalse();
    }
}
