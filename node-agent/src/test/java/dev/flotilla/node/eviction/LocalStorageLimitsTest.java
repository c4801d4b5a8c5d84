package dev.flotilla.node.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which local storage limit a pod exceeds first, and upstream's message for it. */
class LocalStorageLimitsTest {

    private static final long MI = 1024 * 1024;

    @Test
    void anEmptyDirOverItsSizeLimitComesFirst() {
        Pod pod = pod("64Mi", "1Mi");
        PodUsage usage = new PodUsage(Map.of(), Map.of("main", 0L), 4 * MI, Map.of("scratch", 4 * MI));
        assertThat(LocalStorageLimits.exceeded(pod, usage))
                .hasValue("Usage of EmptyDir volume \"scratch\" exceeds the limit \"1Mi\". ");
    }

    @Test
    void thePodsUsageIsComparedWithTheSumOfItsContainersLimits() {
        Pod pod = new PodBuilder(pod("2Mi", null)).editSpec().addNewContainer().withName("side").withNewResources()
                .addToLimits("ephemeral-storage", new Quantity("1Mi")).endResources().endContainer().endSpec().build();
        PodUsage within = new PodUsage(Map.of(), Map.of("main", MI, "side", 0L), 2 * MI, Map.of("scratch", 2 * MI));
        assertThat(LocalStorageLimits.exceeded(pod, within)).as("3 MiB used of 3 MiB").isEmpty();
        PodUsage over = new PodUsage(Map.of(), Map.of("main", MI, "side", 0L), 2 * MI + 1, Map.of("scratch", 2 * MI + 1));
        assertThat(LocalStorageLimits.exceeded(pod, over))
                .hasValue("Pod ephemeral local storage usage exceeds the total limit of containers 3Mi. ");
    }

    @Test
    void aContainerOverItsOwnLimitIsNamedWhenThePodIsWithinItsTotal() {
        Pod pod = new PodBuilder(pod("1Mi", null)).editSpec().addNewContainer().withName("big").withNewResources()
                .addToLimits("ephemeral-storage", new Quantity("100Mi")).endResources().endContainer().endSpec().build();
        PodUsage usage = new PodUsage(Map.of(), Map.of("main", 4 * MI, "big", 0L), 0);
        assertThat(LocalStorageLimits.exceeded(pod, usage))
                .hasValue("Container main exceeded its local ephemeral storage limit \"1Mi\". ");
    }

    @Test
    void podsWithoutLimitsOrUsageAreLeftAlone() {
        Pod pod = pod(null, null);
        assertThat(LocalStorageLimits.hasLimits(pod)).isFalse();
        assertThat(LocalStorageLimits.exceeded(pod, new PodUsage(Map.of(), Map.of("main", 100 * MI), 0,
                Map.of("scratch", 100 * MI)))).isEmpty();
        assertThat(LocalStorageLimits.hasLimits(pod("1Mi", null))).isTrue();
        assertThat(LocalStorageLimits.hasLimits(pod(null, "1Mi"))).isTrue();
        assertThat(LocalStorageLimits.exceeded(pod("1Mi", "1Mi"), null)).as("no stats yet").isEmpty();
    }

    /** A pod with container {@code main} (an ephemeral-storage limit if given) and emptyDir {@code scratch}. */
    private static Pod pod(String containerLimit, String sizeLimit) {
        PodBuilder builder = new PodBuilder().withNewMetadata().withName("p").withUid("uid-p").endMetadata().withNewSpec()
                .addNewContainer().withName("main").withNewResources().endResources().endContainer()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume().endSpec();
        Pod pod = builder.build();
        if (containerLimit != null) {
            pod.getSpec().getContainers().get(0).getResources().setLimits(Map.of("ephemeral-storage", new Quantity(containerLimit)));
        }
        if (sizeLimit != null) {
            pod.getSpec().getVolumes().get(0).getEmptyDir().setSizeLimit(new Quantity(sizeLimit));
        }
        return pod;
    }
}
