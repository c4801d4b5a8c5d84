package dev.flotilla.apiserver.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespacePolicyTest {

    private static final NamespacePolicy PRIVILEGED = new NamespacePolicy(LevelVersion.PRIVILEGED_LATEST,
            LevelVersion.PRIVILEGED_LATEST, LevelVersion.PRIVILEGED_LATEST);

    @Test
    void labelsOverTheDefaults() throws Exception {
        NamespacePolicy.Parsed parsed = NamespacePolicy.from(labels("{\"pod-security.kubernetes.io/enforce\":"
                + "\"baseline\",\"pod-security.kubernetes.io/enforce-version\":\"v1.30\","
                + "\"pod-security.kubernetes.io/warn\":\"restricted\"}"), PRIVILEGED);
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.policy().enforce()).hasToString("baseline:v1.30");
        assertThat(parsed.policy().warn()).hasToString("restricted:latest");
        assertThat(parsed.policy().audit()).hasToString("privileged:latest");
    }

    @Test
    void warnFollowsAStricterEnforceLevelWhenNotLabelled() throws Exception {
        NamespacePolicy policy = NamespacePolicy.from(labels("{\"pod-security.kubernetes.io/enforce\":\"restricted\","
                + "\"pod-security.kubernetes.io/enforce-version\":\"v1.29\"}"), PRIVILEGED).policy();
        assertThat(policy.warn()).hasToString("restricted:v1.29");
        assertThat(NamespacePolicy.from(labels("{}"), PRIVILEGED).policy().fullyPrivileged()).isTrue();
    }

    @Test
    void invalidLabelsAreReportedAndEvaluatedStrictly() throws Exception {
        NamespacePolicy.Parsed parsed = NamespacePolicy.from(labels("{\"pod-security.kubernetes.io/enforce\":"
                + "\"strict\",\"pod-security.kubernetes.io/audit-version\":\"1.2\"}"), PRIVILEGED);
        assertThat(parsed.policy().enforce()).hasToString("restricted:latest");
        assertThat(parsed.errors()).extracting(Object::toString).isEqualTo(List.of(
                "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": "
                        + "must be one of privileged, baseline, restricted",
                "metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: \"1.2\": "
                        + "must be \"latest\" or \"v1.x\""));
    }

    @Test
    void existingPodsAreGroupedByWhatTheyViolate() throws Exception {
        List<JsonNode> pods = List.of(pod("a", "{\"hostNetwork\":true,\"containers\":[{\"name\":\"c\"}]}"),
                pod("b", "{\"hostNetwork\":true,\"containers\":[{\"name\":\"c\"}]}"),
                pod("c", "{\"containers\":[{\"name\":\"c\",\"securityContext\":{\"privileged\":true}}]}"),
                pod("ok", "{\"containers\":[{\"name\":\"c\"}]}"));
        assertThat(ExistingPods.warnings("ns", new LevelVersion(Level.BASELINE, "latest"), pods)).containsExactly(
                "existing pods in namespace \"ns\" violate the new PodSecurity enforce level \"baseline:latest\"",
                "a (and 1 other pod): host namespaces", "c: privileged");
    }

    private static JsonNode labels(String json) throws Exception {
        return Json.mapper().readTree(json);
    }

    private static JsonNode pod(String name, String spec) throws Exception {
        return Json.mapper().readTree("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}");
    }
}
