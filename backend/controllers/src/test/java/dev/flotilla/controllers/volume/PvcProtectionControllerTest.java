package dev.flotilla.controllers.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import org.junit.jupiter.api.Test;

class PvcProtectionControllerTest {

    private static final Volume CLAIM_VOLUME = new VolumeBuilder().withName("data").withNewPersistentVolumeClaim()
            .withClaimName("data").endPersistentVolumeClaim().build();
    private static final Volume EPHEMERAL_VOLUME = new VolumeBuilder().withName("scratch").withNewEphemeral()
            .withNewVolumeClaimTemplate().withNewSpec().endSpec().endVolumeClaimTemplate().endEphemeral().build();

    @Test
    void aScheduledRunningPodUsesItsClaim() {
        assertThat(PvcProtectionController.uses(pod("web", "node-1", "Running", CLAIM_VOLUME), claim("data", null))).isTrue();
        assertThat(PvcProtectionController.uses(pod("web", "node-1", "Running", CLAIM_VOLUME), claim("other", null))).isFalse();
    }

    @Test
    void unscheduledFinishedAndForceDeletedPodsDoNotHoldTheClaim() {
        assertThat(PvcProtectionController.uses(pod("web", null, "Pending", CLAIM_VOLUME), claim("data", null))).isFalse();
        assertThat(PvcProtectionController.uses(pod("web", "node-1", "Succeeded", CLAIM_VOLUME), claim("data", null))).isFalse();
        assertThat(PvcProtectionController.uses(pod("web", "node-1", "Failed", CLAIM_VOLUME), claim("data", null))).isFalse();
        Pod forced = new PodBuilder(pod("web", "node-1", "Running", CLAIM_VOLUME)).editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z").withDeletionGracePeriodSeconds(0L).endMetadata().build();
        assertThat(PvcProtectionController.uses(forced, claim("data", null))).isFalse();
        Pod graceful = new PodBuilder(forced).editMetadata().withDeletionGracePeriodSeconds(30L).endMetadata().build();
        assertThat(PvcProtectionController.uses(graceful, claim("data", null))).as("still terminating").isTrue();
    }

    @Test
    void anEphemeralVolumeUsesOnlyTheClaimThePodOwns() {
        Pod pod = pod("web", "node-1", "Running", EPHEMERAL_VOLUME);
        assertThat(PvcProtectionController.uses(pod, claim("web-scratch", "web-uid"))).isTrue();
        assertThat(PvcProtectionController.uses(pod, claim("web-scratch", "someone-else"))).isFalse();
        assertThat(PvcProtectionController.uses(pod, claim("web-scratch", null))).isFalse();
    }

    private static Pod pod(String name, String node, String phase, Volume volume) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(name + "-uid").endMetadata()
                .withNewSpec().withNodeName(node).addToVolumes(volume).endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    private static PersistentVolumeClaim claim(String name, String ownerUid) {
        PersistentVolumeClaimBuilder claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName(name)
                .withNamespace("ns").endMetadata();
        if (ownerUid != null) {
            claim.editMetadata().addNewOwnerReference().withApiVersion("v1").withKind("Pod").withName("web")
                    .withUid(ownerUid).withController(true).endOwnerReference().endMetadata();
        }
        return claim.build();
    }
}
