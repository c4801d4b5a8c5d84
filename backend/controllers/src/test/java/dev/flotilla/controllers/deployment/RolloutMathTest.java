package dev.flotilla.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutMathTest {

    @Test
    void percentagesRoundSurgeUpAndUnavailableDown() {
        RolloutMath.Fenceposts f = RolloutMath.fenceposts(rolling(10, "25%", "25%"));
        assertThat(f.surge()).isEqualTo(3);
        assertThat(f.unavailable()).isEqualTo(2);
        assertThat(RolloutMath.fenceposts(rolling(3, "0%", "0%")).unavailable()).as("never both zero").isEqualTo(1);
        assertThat(RolloutMath.fenceposts(rolling(1, "10%", "10%"))).isEqualTo(new RolloutMath.Fenceposts(1, 0));
    }

    @Test
    void theNewSetGrowsWithinTheSurge() {
        Deployment d = new DeploymentBuilder(rolling(3, "1", "0")).build();
        d.getSpec().getStrategy().getRollingUpdate().setMaxSurge(new IntOrString(1));
        d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(new IntOrString(0));
        ReplicaSet old = set(3);
        ReplicaSet fresh = set(0);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(old, fresh), fresh)).isEqualTo(1);
        ReplicaSet grown = set(1);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(old, grown), grown)).as("at the surge").isEqualTo(1);
    }

    @Test
    void theTemplateHashIsStableAndDiffersPerTemplateAndCollisionCount() {
        PodTemplateSpec one = template("registry.local/app:1");
        String hash = PodTemplates.hash(one, null);
        assertThat(PodTemplates.hash(template("registry.local/app:1"), null)).isEqualTo(hash);
        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(PodTemplates.hash(template("registry.local/app:2"), null)).isNotEqualTo(hash);
        assertThat(PodTemplates.hash(one, 1)).isNotEqualTo(hash);
        PodTemplateSpec labelled = template("registry.local/app:1");
        labelled.getMetadata().getLabels().put(PodTemplates.HASH_LABEL, hash);
        assertThat(PodTemplates.equalIgnoringHash(one, labelled)).isTrue();
        assertThat(PodTemplates.hash(labelled, null)).isEqualTo(hash);
    }

    private static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
    }

    private static ReplicaSet set(int replicas) {
        return new ReplicaSetBuilder().withNewSpec().withReplicas(replicas).endSpec().build();
    }

    private static Deployment rolling(int replicas, String surge, String unavailable) {
        return new DeploymentBuilder().withNewSpec().withReplicas(replicas).withNewStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(new IntOrString(surge)).withMaxUnavailable(new IntOrString(unavailable))
                .endRollingUpdate().endStrategy().endSpec().build();
    }
}
