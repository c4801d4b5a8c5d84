package dev.flotilla.controllers.rootca;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RootCaConfigMapTest {

    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private final RootCaConfigMap wanted = new RootCaConfigMap(CA);

    @Test
    void aFreshOneCarriesTheBundleAndUpstreamsDescription() {
        ConfigMap fresh = wanted.fresh("team");
        assertThat(fresh.getMetadata().getName()).isEqualTo("kube-root-ca.crt");
        assertThat(fresh.getMetadata().getNamespace()).isEqualTo("team");
        assertThat(fresh.getData()).containsExactly(Map.entry("ca.crt", CA));
        assertThat(fresh.getMetadata().getAnnotations()).containsEntry("kubernetes.io/description",
                "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such "
                        + "as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
                        + "distributions of Kubernetes clusters.");
        assertThat(wanted.matches(fresh)).isTrue();
    }

    @Test
    void editedDataOrAMissingDescriptionIsCorrectedKeepingOtherMetadata() {
        ConfigMap edited = new ConfigMapBuilder(wanted.fresh("team")).editMetadata().withResourceVersion("7")
                .withLabels(Map.of("mine", "yes")).endMetadata().withData(Map.of("ca.crt", "tampered", "extra", "x"))
                .build();
        assertThat(wanted.matches(edited)).isFalse();
        ConfigMap corrected = wanted.corrected(edited);
        assertThat(corrected.getData()).containsExactly(Map.entry("ca.crt", CA));
        assertThat(corrected.getMetadata().getLabels()).containsEntry("mine", "yes");
        assertThat(corrected.getMetadata().getResourceVersion()).as("an update, not a blind overwrite").isEqualTo("7");
        assertThat(wanted.matches(corrected)).isTrue();

        ConfigMap undescribed = new ConfigMapBuilder(wanted.fresh("team")).editMetadata()
                .withAnnotations(Map.of("other", "kept")).endMetadata().build();
        assertThat(wanted.matches(undescribed)).isFalse();
        assertThat(wanted.corrected(undescribed).getMetadata().getAnnotations())
                .containsEntry("other", "kept").containsKey("kubernetes.io/description");
    }

    @Test
    void aRewordedDescriptionIsLeftAloneAsUpstreamDoes() {
        ConfigMap reworded = new ConfigMapBuilder(wanted.fresh("team")).editMetadata()
                .withAnnotations(Map.of("kubernetes.io/description", "ours")).endMetadata().build();
        assertThat(wanted.matches(reworded)).isTrue();
    }
}
