package dev.flotilla.scheduler.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodInfoTest {

    @Test
    void requestsAreTheLargerOfContainersAndInitPeakPlusOverhead() {
        PodInfo pod = new PodInfo(new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata()
                .withNewSpec()
                .addToContainers(container("a", "200m"), container("b", "300m"))
                .addToInitContainers(container("init", "800m"))
                .withOverhead(Map.of("cpu", new Quantity("50m")))
                .endSpec().build(), 0);
        assertThat(pod.requests().milliCpu()).isEqualTo(850);
        assertThat(pod.requests().memory()).isZero();
        assertThat(pod.nonZeroRequests().memory()).isEqualTo(2 * PodInfo.DEFAULT_MEMORY);
    }

    @Test
    void sidecarsCountWhileRunningAndDuringLaterInitContainers() {
        ContainerBuilder sidecar = new ContainerBuilder(container("sidecar", "100m")).withRestartPolicy("Always");
        PodInfo pod = new PodInfo(new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata()
                .withNewSpec()
                .addToContainers(container("app", "200m"))
                .addToInitContainers(sidecar.build(), container("init", "500m"))
                .endSpec().build(), 0);
        assertThat(pod.requests().milliCpu()).isEqualTo(600);
    }

    private static io.fabric8.kubernetes.api.model.Container container(String name, String cpu) {
        return new ContainerBuilder().withName(name).withNewResources().addToRequests("cpu", new Quantity(cpu))
                .endResources().build();
    }
}
