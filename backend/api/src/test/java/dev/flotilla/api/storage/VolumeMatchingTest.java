package dev.flotilla.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VolumeMatchingTest {

    @Test
    void theSmallestVolumeThatFitsWins() {
        List<PersistentVolume> volumes = List.of(volume("big", "10Gi"), volume("small", "1Gi"), volume("mid", "2Gi"));
        assertThat(name(VolumeMatching.bestMatch(claim("1500Mi"), volumes, null, false))).isEqualTo("mid");
        assertThat(name(VolumeMatching.bestMatch(claim("1Gi"), volumes, null, false))).isEqualTo("small");
        assertThat(VolumeMatching.bestMatch(claim("20Gi"), volumes, null, false)).isEmpty();
    }

    @Test
    void classAccessModesVolumeModeAndSelectorMustMatch() {
        PersistentVolume fast = new PersistentVolumeBuilder(volume("fast", "1Gi")).editSpec().withStorageClassName("fast")
                .endSpec().build();
        PersistentVolume rwx = new PersistentVolumeBuilder(volume("rwx", "1Gi")).editSpec()
                .withAccessModes("ReadWriteMany").endSpec().build();
        PersistentVolume block = new PersistentVolumeBuilder(volume("block", "1Gi")).editSpec().withVolumeMode("Block")
                .endSpec().build();
        PersistentVolume gold = new PersistentVolumeBuilder(volume("gold", "5Gi")).editMetadata().addToLabels("tier", "gold")
                .endMetadata().build();
        List<PersistentVolume> volumes = List.of(fast, rwx, block, gold);
        assertThat(name(VolumeMatching.bestMatch(claim("1Gi"), volumes, null, false)))
                .as("only gold has no class, RWO and Filesystem").isEqualTo("gold");
        PersistentVolumeClaim fastClaim = new PersistentVolumeClaimBuilder(claim("1Gi")).editSpec()
                .withStorageClassName("fast").endSpec().build();
        assertThat(name(VolumeMatching.bestMatch(fastClaim, volumes, null, false))).isEqualTo("fast");
        PersistentVolumeClaim silver = new PersistentVolumeClaimBuilder(claim("1Gi")).editSpec().withNewSelector()
                .addToMatchLabels("tier", "silver").endSelector().endSpec().build();
        assertThat(VolumeMatching.bestMatch(silver, volumes, null, false)).isEmpty();
        PersistentVolumeClaim blockClaim = new PersistentVolumeClaimBuilder(claim("1Gi")).editSpec().withVolumeMode("Block")
                .endSpec().build();
        assertThat(name(VolumeMatching.bestMatch(blockClaim, volumes, null, false))).isEqualTo("block");
    }

    @Test
    void aPreBoundVolumeWinsAndAClaimedOneIsNeverTaken() {
        PersistentVolumeClaim claim = claim("1Gi");
        PersistentVolume mine = new PersistentVolumeBuilder(volume("mine", "8Gi")).editSpec().withNewClaimRef()
                .withNamespace("ns").withName("c").endClaimRef().endSpec().build();
        PersistentVolume theirs = new PersistentVolumeBuilder(volume("theirs", "1Gi")).editSpec().withNewClaimRef()
                .withNamespace("ns").withName("other").withUid("u2").endClaimRef().endSpec().build();
        assertThat(name(VolumeMatching.bestMatch(claim, List.of(volume("free", "1Gi"), mine, theirs), null, false)))
                .isEqualTo("mine");
        assertThat(VolumeMatching.bestMatch(claim, List.of(theirs), null, false)).isEmpty();
        assertThat(name(VolumeMatching.bestMatch(claim, List.of(mine), null, true)))
                .as("pre-bound volumes bind even when binding waits for a consumer").isEqualTo("mine");
    }

    @Test
    void delayedBindingTakesFreeVolumesOnlyForANodeTheyAdmit() {
        PersistentVolume local = new PersistentVolumeBuilder(volume("local", "1Gi")).editSpec().withNewNodeAffinity()
                .withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression().withKey("kubernetes.io/hostname")
                .withOperator("In").withValues("n1").endMatchExpression().endNodeSelectorTerm().endRequired()
                .endNodeAffinity().endSpec().build();
        assertThat(VolumeMatching.bestMatch(claim("1Gi"), List.of(local), null, true)).isEmpty();
        assertThat(name(VolumeMatching.bestMatch(claim("1Gi"), List.of(local), node("n1"), true))).isEqualTo("local");
        assertThat(VolumeMatching.bestMatch(claim("1Gi"), List.of(local), node("n2"), true)).isEmpty();
    }

    @Test
    void aNamedVolumeExplainsWhyItCannotServeTheClaim() {
        assertThat(VolumeMatching.mismatch(volume("v", "1Gi"), claim("2Gi"))).contains("requested PV is too small");
        PersistentVolume rox = new PersistentVolumeBuilder(volume("v", "1Gi")).editSpec().withAccessModes("ReadOnlyMany")
                .endSpec().build();
        assertThat(VolumeMatching.mismatch(rox, claim("1Gi"))).contains("incompatible accessMode");
        assertThat(VolumeMatching.mismatch(volume("v", "1Gi"), claim("1Gi"))).isEmpty();
    }

    private static String name(Optional<PersistentVolume> volume) {
        return volume.map(v -> v.getMetadata().getName()).orElse(null);
    }

    private static PersistentVolume volume(String name, String size) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .addToCapacity("storage", new Quantity(size)).withAccessModes("ReadWriteOnce").endSpec().build();
    }

    private static PersistentVolumeClaim claim(String size) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName("c").withNamespace("ns").withUid("u1")
                .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new Quantity(size)).endResources().endSpec().build();
    }

    private static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
                .build();
    }
}
