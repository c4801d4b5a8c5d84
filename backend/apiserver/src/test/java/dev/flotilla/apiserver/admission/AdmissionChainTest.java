package dev.flotilla.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.apiserver.metrics.RequestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionChainTest {

    private static final AdmissionAttributes CREATE = new AdmissionAttributes(AdmissionOperation.CREATE, null, "ns",
            null, null, null, UserInfo.ANONYMOUS, false);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMetrics metrics = new RequestMetrics(registry);

    @Test
    void timesEachStepByTypeOperationAndWhetherItRejected() {
        AdmissionChain chain = new AdmissionChain(List.of(refusing("ResourceQuota")), metrics);
        assertThatThrownBy(() -> chain.validate(CREATE)).isInstanceOf(IllegalStateException.class);
        chain.admit(CREATE);
        assertThat(registry.get("apiserver.admission.step.admission.duration")
                .tags("type", "validate", "operation", "CREATE", "rejected", "true").timer().count()).isEqualTo(1);
        assertThat(registry.get("apiserver.admission.step.admission.duration")
                .tags("type", "admit", "operation", "CREATE", "rejected", "false").timer().count()).isEqualTo(1);
    }

    @Test
    void runsEveryMutatingPhaseBeforeAnyValidatingPhaseInUpstreamOrder() {
        List<String> calls = new ArrayList<>();
        AdmissionChain chain = new AdmissionChain(List.of(plugin("ResourceQuota", calls),
                plugin("NamespaceLifecycle", calls), plugin("Priority", calls)), metrics);
        assertThat(chain.names()).containsExactly("NamespaceLifecycle", "Priority", "ResourceQuota");
        chain.admit(CREATE);
        chain.validate(CREATE);
        assertThat(calls).containsExactly("admit NamespaceLifecycle", "admit Priority", "admit ResourceQuota",
                "validate NamespaceLifecycle", "validate Priority", "validate ResourceQuota");
    }

    @Test
    void aPluginWithoutAPlaceInTheOrderFailsStartUp() {
        assertThatThrownBy(() -> new AdmissionChain(List.of(plugin("Unheard", new ArrayList<>())), metrics))
                .hasMessageContaining("Unheard");
    }

    private static AdmissionPlugin refusing(String name) {
        return new AdmissionPlugin() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void validate(AdmissionAttributes attributes) {
                throw new IllegalStateException("refused");
            }
        };
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
