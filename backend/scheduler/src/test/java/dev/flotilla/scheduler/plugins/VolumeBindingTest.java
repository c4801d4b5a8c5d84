package dev.flotilla.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.cache.SchedulerCache;
import dev.flotilla.scheduler.framework.PodPlacement;
import dev.flotilla.scheduler.framework.Profile;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeBindingTest {

    private final MapStore<PersistentVolumeClaim> claims = new MapStore<>();
    private final MapStore<PersistentVolume> volumes = new MapStore<>();
    private final MapStore<StorageClass> classes = new MapStore<>();
    private final VolumeBinding plugin = new VolumeBinding(claims, volumes, classes, null);
    private final PodPlacement placement = new PodPlacement(new Profile("default-scheduler", List.of(plugin), List.of(), List.of()), 0);
    private final List<NodeInfo> nodes = nodes("a", "b");

    VolumeBindingTest() {
        classes.put(new StorageClassBuilder().withNewMetadata().withName("wait").endMetadata()
                .withProvisioner("kubernetes.io/no-provisioner").withVolumeBindingMode("WaitForFirstConsumer").build());
        classes.put(new StorageClassBuilder().withNewMetadata().withName("local-path").endMetadata()
                .withProvisioner("flotilla.dev/local-path").withVolumeBindingMode("WaitForFirstConsumer").build());
    }

    @Test
    void aMissingOrUnboundImmediateClaimRejectsThePodOnEveryNode() {
        assertThat(failure(pod("c"))).isEqualTo("0/2 nodes are available: persistentvolumeclaim \"c\" not found.");
        claims.put(claim("c", null, null));
        assertThat(failure(pod("c"))).isEqualTo("0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
    }

    @Test
    void aBoundVolumesNodeAffinityLimitsThePodToThatNode() {
        claims.put(claim("c", null, "pv"));
        volumes.put(volume("pv", "b"));
        assertThat(placement.place(info(pod("c")), nodes).nodeName()).isEqualTo("b");
        volumes.put(volume("pv", "elsewhere"));
        assertThat(failure(pod("c"))).isEqualTo("0/2 nodes are available: 2 node(s) had volume node affinity conflict.");
    }

    @Test
    void anUnboundDelayedClaimNeedsAFreeVolumeOnTheNodeOrAProvisioner() {
        claims.put(claim("c", "wait", null));
        assertThat(failure(pod("c")))
                .isEqualTo("0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.");
        volumes.put(new PersistentVolumeBuilder(volume("pv", "a")).editSpec().withStorageClassName("wait").endSpec().build());
        assertThat(placement.place(info(pod("c")), nodes).nodeName()).isEqualTo("a");

        claims.put(claim("d", "local-path", null));
        assertThat(placement.place(info(pod("d")), nodes).scheduled()).as("local-path provisions on any node").isTrue();
    }

    @Test
    void twoClaimsOfOnePodNeverGetTheSameVolume() {
        claims.put(claim("c", "wait", null));
        claims.put(claim("d", "wait", null));
        volumes.put(new PersistentVolumeBuilder(volume("pv", "a")).editSpec().withStorageClassName("wait").endSpec().build());
        Pod both = new PodBuilder(pod("c")).editSpec().addNewVolume().withName("v2").withNewPersistentVolumeClaim()
                .withClaimName("d").endPersistentVolumeClaim().endVolume().endSpec().build();
        assertThat(failure(both))
                .isEqualTo("0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.");
    }

    private String failure(Pod pod) {
        PodPlacement.Result result = placement.place(info(pod), nodes);
        assertThat(result.scheduled()).isFalse();
        return result.diagnosis().message();
    }

    private static PodInfo info(Pod pod) {
        return new PodInfo(pod, 0);
    }

    private static Pod pod(String claim) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("busybox").endContainer()
                .addNewVolume().withName("v").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim()
                .endVolume().endSpec().build();
    }

    private static PersistentVolumeClaim claim(String name, String className, String volumeName) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name)
                .endMetadata().withNewSpec().withStorageClassName(className).withVolumeName(volumeName)
                .withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().build();
    }

    private static PersistentVolume volume(String name, String node) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce")
                .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey("kubernetes.io/hostname").withOperator("In").withValues(node).endMatchExpression()
                .endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().build();
    }

    private static List<NodeInfo> nodes(String... names) {
        SchedulerCache cache = new SchedulerCache();
        for (String name : names) {
            cache.upsertNode(new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
                    .endMetadata().withNewSpec().endSpec().withNewStatus().endStatus().build());
        }
        return cache.nodes();
    }
}
