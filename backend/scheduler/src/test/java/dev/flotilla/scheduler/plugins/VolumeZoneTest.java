package dev.flotilla.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterResult;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VolumeZoneTest {

    private final MapStore<PersistentVolumeClaim> claims = new MapStore<>();
    private final MapStore<PersistentVolume> volumes = new MapStore<>();
    private final MapStore<StorageClass> classes = new MapStore<>();
    private final VolumeZone plugin = new VolumeZone(claims, volumes, classes);
    private final TestCluster cluster = new TestCluster()
            .node("east-1", Map.of("topology.kubernetes.io/zone", "east-1", "topology.kubernetes.io/region", "east"))
            .node("east-2", Map.of("failure-domain.beta.kubernetes.io/zone", "east-2"))
            .node("west-1", Map.of("topology.kubernetes.io/zone", "west-1", "topology.kubernetes.io/region", "west"))
            .node("plain", Map.of());

    @Test
    void aBoundVolumesZoneLabelsMustMatchTheNodes() {
        bind("data", volume("pv", Map.of("topology.kubernetes.io/zone", "east-1__east-2")));
        Map<String, FilterResult> results = cluster.filter(plugin, pod("data"));
        assertThat(results.get("east-1").fits()).isTrue();
        assertThat(results.get("east-2").fits()).as("a GA volume label against a beta node label").isFalse();
        assertThat(results.get("west-1").code()).isEqualTo(FilterResult.Code.UNRESOLVABLE);
        assertThat(results.get("west-1").reasons()).containsExactly("node(s) had no available volume zone");
        assertThat(results.get("plain").fits()).as("a node without topology labels").isTrue();
    }

    @Test
    void betaVolumeLabelsMatchGaNodeLabelsAndRegionsCountToo() {
        bind("data", volume("pv", Map.of("failure-domain.beta.kubernetes.io/zone", "east-1",
                "topology.kubernetes.io/region", "east")));
        Map<String, FilterResult> results = cluster.filter(plugin, pod("data"));
        assertThat(results.get("east-1").fits()).isTrue();
        assertThat(results.get("east-2").fits()).as("no region label on the node").isFalse();
        assertThat(results.get("west-1").fits()).isFalse();
    }

    @Test
    void unboundClaimsAreSkippedOnlyForWaitForFirstConsumerClasses() {
        classes.put(new StorageClassBuilder().withNewMetadata().withName("late").endMetadata().withProvisioner("p")
                .withVolumeBindingMode("WaitForFirstConsumer").build());
        classes.put(new StorageClassBuilder().withNewMetadata().withName("now").endMetadata().withProvisioner("p")
                .withVolumeBindingMode("Immediate").build());
        claims.put(claim("late", "late", null));
        claims.put(claim("now", "now", null));
        claims.put(claim("classless", null, null));
        assertThat(cluster.filter(plugin, pod("late")).values()).allMatch(FilterResult::fits);
        assertThat(preFilter(pod("now")).reasons()).containsExactly("PersistentVolume had no name");
        assertThat(preFilter(pod("classless")).reasons())
                .containsExactly("PersistentVolumeClaim had no pv name and storageClass name");
        assertThat(preFilter(pod("ghost")).reasons()).containsExactly("persistentvolumeclaim \"ghost\" not found");
        claims.put(claim("lost", null, "gone"));
        assertThat(preFilter(pod("lost")).reasons()).containsExactly("persistentvolume \"gone\" not found");
    }

    private FilterResult preFilter(Pod pod) {
        return plugin.preFilter(new CycleState(), TestCluster.info(pod), cluster.nodes());
    }

    private void bind(String claimName, PersistentVolume volume) {
        volumes.put(volume);
        claims.put(claim(claimName, null, volume.getMetadata().getName()));
    }

    private static PersistentVolume volume(String name, Map<String, String> labels) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().endSpec().build();
    }

    private static PersistentVolumeClaim claim(String name, String className, String volumeName) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewSpec().withStorageClassName(className).withVolumeName(volumeName).withAccessModes("ReadWriteOnce")
                .endSpec().build();
    }

    private static Pod pod(String claim) {
        return TestCluster.pod("p", "ns", Map.of(), b -> b.editSpec().addNewVolume().withName("data")
                .withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim().endVolume().endSpec());
    }
}
