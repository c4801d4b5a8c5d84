package dev.flotilla.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterResult;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VolumeRestrictionsTest {

    private final MapStore<PersistentVolumeClaim> claims = new MapStore<>();
    private final VolumeRestrictions plugin = new VolumeRestrictions(claims);
    private final TestCluster cluster = new TestCluster().node("a", Map.of()).node("b", Map.of());

    @Test
    void aReadWriteOncePodClaimInUseByAPodOnAnyNodeMakesEveryNodeUnschedulable() {
        claims.put(claim("solo", "ReadWriteOncePod"));
        assertThat(cluster.filter(plugin, claimPod("first", "solo")).values()).allMatch(FilterResult::fits);
        cluster.bound(claimPod("first", "solo"), "a");
        Map<String, FilterResult> results = cluster.filter(plugin, claimPod("second", "solo"));
        assertThat(results.values()).allSatisfy(result -> {
            assertThat(result.code()).isEqualTo(FilterResult.Code.UNSCHEDULABLE);
            assertThat(result.reasons()).containsExactly(
                    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode");
        });
        // The pod that holds the claim is not in conflict with itself (rescheduling the same key).
        assertThat(cluster.filter(plugin, claimPod("first", "solo")).values()).allMatch(FilterResult::fits);
    }

    @Test
    void readWriteOnceClaimsAndOtherNamespacesDoNotConflict() {
        claims.put(claim("shared", "ReadWriteOnce"));
        claims.put(claim("solo", "ReadWriteOncePod"));
        cluster.bound(claimPod("first", "shared"), "a");
        cluster.bound(withNamespace(claimPod("other", "solo"), "elsewhere"), "a");
        assertThat(cluster.filter(plugin, claimPod("second", "shared")).values()).allMatch(FilterResult::fits);
        assertThat(cluster.filter(plugin, claimPod("third", "solo")).values()).allMatch(FilterResult::fits);
    }

    @Test
    void anEphemeralVolumeIsItsClaim() {
        claims.put(claim("first-scratch", "ReadWriteOncePod"));
        cluster.bound(ephemeralPod("first"), "a");
        assertThat(cluster.filter(plugin, claimPod("intruder", "first-scratch")).get("b").reasons()).containsExactly(
                "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode");
    }

    @Test
    void aMissingClaimIsUnresolvable() {
        CycleState state = new CycleState();
        FilterResult result = plugin.preFilter(state, TestCluster.info(claimPod("p", "ghost")), cluster.nodes());
        assertThat(result.code()).isEqualTo(FilterResult.Code.UNRESOLVABLE);
        assertThat(result.reasons()).containsExactly("persistentvolumeclaim \"ghost\" not found");
    }

    @Test
    void theSameExclusiveDiskOnANodeConflictsUnlessBothAreReadOnly() {
        cluster.bound(volumePod("gce-rw", new VolumeBuilder().withName("d").withNewGcePersistentDisk()
                .withPdName("disk-1").endGcePersistentDisk().build()), "a");
        cluster.bound(volumePod("iscsi-ro", new VolumeBuilder().withName("d").withNewIscsi().withIqn("iqn.1")
                .withTargetPortal("10.0.0.1").withLun(0).withReadOnly(true).endIscsi().build()), "b");
        Map<String, FilterResult> gce = cluster.filter(plugin, volumePod("gce-ro", new VolumeBuilder().withName("d")
                .withNewGcePersistentDisk().withPdName("disk-1").withReadOnly(true).endGcePersistentDisk().build()));
        assertThat(gce.get("a").reasons()).containsExactly("node(s) had no available disk");
        assertThat(gce.get("b").fits()).isTrue();
        Map<String, FilterResult> iscsi = cluster.filter(plugin, volumePod("iscsi-ro2", new VolumeBuilder().withName("d")
                .withNewIscsi().withIqn("iqn.1").withTargetPortal("10.0.0.1").withLun(0).withReadOnly(true).endIscsi().build()));
        assertThat(iscsi.values()).allMatch(FilterResult::fits);
        Map<String, FilterResult> ebs = cluster.filter(plugin, volumePod("ebs", new VolumeBuilder().withName("d")
                .withNewAwsElasticBlockStore().withVolumeID("vol-1").endAwsElasticBlockStore().build()));
        assertThat(ebs.values()).allMatch(FilterResult::fits);
    }

    private static PersistentVolumeClaim claim(String name, String mode) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewSpec().withAccessModes(mode).withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().build();
    }

    private static Pod claimPod(String name, String claim) {
        return volumePod(name, new VolumeBuilder().withName("data").withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().build());
    }

    private static Pod ephemeralPod(String name) {
        return volumePod(name, new VolumeBuilder().withName("scratch").withNewEphemeral().withNewVolumeClaimTemplate()
                .withNewSpec().withAccessModes("ReadWriteOncePod").endSpec().endVolumeClaimTemplate().endEphemeral().build());
    }

    private static Pod volumePod(String name, Volume volume) {
        return TestCluster.pod(name, "ns", Map.of(), b -> b.editSpec().addToVolumes(volume).endSpec());
    }

    private static Pod withNamespace(Pod pod, String namespace) {
        return new PodBuilder(pod).editMetadata().withNamespace(namespace).endMetadata().build();
    }
}
