package dev.flotilla.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionChainTest {

    @Test
    void runsEveryMutatingPhaseBeforeAnyValidatingPhaseInUpstreamOrder() {
        List<String> calls = new ArrayList<>();
        AdmissionChain chain = new AdmissionChain(List.of(plugin("ResourceQuota", calls),
                plugin("NamespaceLifecycle", calls), plugin("Priority", calls)));
        assertThat(chain.names()).containsExactly("NamespaceLifecycle", "Priority", "ResourceQuota");
        chain.admit(null);
        chain.validate(null);
        assertThat(calls).containsExactly("admit NamespaceLifecycle", "admit Priority", "admit ResourceQuota",
                "validate NamespaceLifecycle", "validate Priority", "validate ResourceQuota");
    }

    @Test
    void aPluginWithoutAPlaceInTheOrderFailsStartUp() {
        assertThatThrownBy(() -> new AdmissionChain(List.of(plugin("Unheard", new ArrayList<>()))))
                .hasMessageContaining("Unheard");
    }

    private static AdmissionPlugin plugin(String name, List<String> calls) {
        return new AdmissionPlugin() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void admit(AdmissionAttributes attributes) {
                calls.add("admit " + name);
            }

            @Override
            public void validate(AdmissionAttributes attributes) {
                calls.add("validate " + name);
            }
        };
    }
}
