package dev.flotilla.e2e;

import static dev.flotilla.e2e.NodeAgentCluster.busyboxPod;
import static dev.flotilla.e2e.NodeAgentCluster.firstContainerStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resource usage end to end on a real node agent and containerd: the kubelet's {@code /stats/summary}
 * and {@code /metrics/resource} through the node proxy, {@code metrics.k8s.io} fed from them and read
 * by {@code kubectl top}, and a container over its memory limit reported OOMKilled. Needs root.
 */
class ResourceMetricsIT {

    private static final String NODE = "metrics-1";
    private static final Duration METRICS_DEADLINE = Duration.ofSeconds(120);
    private static final Pattern MILLICORES = Pattern.compile("^burner\\s+(\\d+)m\\s+\\d+Mi", Pattern.MULTILINE);

    private static NodeAgentCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start(NODE, "--flotilla.apiserver.resource-metrics.scrape-interval=3s");
        cluster.create(busyboxPod("burner", "Always", "while :; do :; done"));
        cluster.awaitPod("burner", NodeAgentCluster.inPhase("Running"));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster);
    }

    @Test
    void kubeletServesSummaryAndResourceMetricsThroughTheNodeProxy() throws Exception {
        JsonNode summary = Await.value(METRICS_DEADLINE, "the burner in the summary", () -> {
            var raw = cluster.kubectl("get", "--raw", "/api/v1/nodes/" + NODE + "/proxy/stats/summary");
            if (raw.exitCode() != 0) {
                return null;
            }
            JsonNode s;
            try {
                s = Json.mapper().readTree(raw.output());
            } catch (java.io.IOException e) {
                return null;
            }
            for (JsonNode pod : s.path("pods")) {
                if (pod.at("/podRef/name").asText().equals("burner")
                        && pod.at("/containers/0/cpu/usageNanoCores").asLong() > 0) {
                    return s;
                }
            }
            return null;
        });
        assertThat(summary.at("/node/nodeName").asText()).isEqualTo(NODE);
        assertThat(summary.at("/node/cpu/usageCoreNanoSeconds").asLong()).isPositive();
        assertThat(summary.at("/node/memory/workingSetBytes").asLong()).isPositive();
        assertThat(summary.at("/node/fs/capacityBytes").asLong()).isPositive();

        String metrics = cluster.kubectl("get", "--raw", "/api/v1/nodes/" + NODE + "/proxy/metrics/resource")
                .assertSuccess().output();
        assertThat(metrics).contains("# TYPE node_cpu_usage_seconds_total counter", "node_memory_working_set_bytes ",
                "container_cpu_usage_seconds_total{container=\"main\",namespace=\"default\",pod=\"burner\"} ",
                "pod_memory_working_set_bytes{namespace=\"default\",pod=\"burner\"} ", "resource_scrape_error 0");
        assertThat(cluster.kubectl("get", "--raw", "/api/v1/nodes/" + NODE + "/proxy/pods").assertSuccess().output())
                .contains("\"kind\":\"PodList\"", "\"name\":\"burner\"");
    }

    @Test
    void kubectlTopShowsTheBusyPodUsingCpu() {
        String top = Await.value(METRICS_DEADLINE, "kubectl top pod burner > 100m", () -> {
            var result = cluster.kubectl("top", "pod", "burner");
            Matcher m = MILLICORES.matcher(result.output());
            return result.exitCode() == 0 && m.find() && Long.parseLong(m.group(1)) > 100 ? result.output() : null;
        });
        assertThat(top).startsWith("NAME").contains("CPU(cores)", "MEMORY(bytes)");
        assertThat(cluster.kubectl("top", "node").assertSuccess().output()).contains(NODE, "CPU(cores)", "CPU(%)");
        assertThat(cluster.kubectl("top", "pod", "-A", "--containers").assertSuccess().output())
                .containsPattern("default\\s+burner\\s+main\\s+\\d+m");
        assertThat(cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/burner")
                .assertSuccess().output()).contains("\"kind\":\"PodMetrics\"", "\"window\":");
        assertThat(cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope").output())
                .contains("NotFound");
        assertThat(cluster.kubectl("top", "pod", "-l", "app=none").output()).contains("No resources found");
        assertThat(cluster.kubectl("api-resources", "--api-group=metrics.k8s.io").assertSuccess().output())
                .contains("PodMetrics", "NodeMetrics");
    }

    @Test
    void viewersReadMetricsOthersAreForbiddenAndNodesWithoutKubeletHaveNone() {
        cluster.kubectl("create", "rolebinding", "metrics-viewer", "--clusterrole=view", "--user=viewer",
                "--namespace=default").assertSuccess();
        Await.until(METRICS_DEADLINE, "a viewer sees pod metrics", () -> cluster.kubectl("--as=viewer", "top", "pod",
                "burner").output().contains("burner"));
        assertThat(cluster.kubectl("--as=stranger", "top", "pod", "burner").output())
                .contains("Forbidden", "pods.metrics.k8s.io");
        cluster.client().nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata()
                .withName("hollow-1").endMetadata().withNewSpec().withUnschedulable(true).endSpec().build()).create();
        assertThat(cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes/hollow-1").output())
                .contains("NotFound");
        assertThat(cluster.kubectl("top", "node").assertSuccess().output()).contains(NODE)
                .as("kubectl shows a node without metrics as unknown").doesNotContainPattern("hollow-1\\s+\\d");
    }

    @Test
    void aMemoryHogIsReportedOomKilled() {
        Pod hog = new PodBuilder(busyboxPod("hog", "Never", "x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done"))
                .editSpec().editFirstContainer().withNewResources().addToLimits("memory", new Quantity("32Mi"))
                .endResources().endContainer().endSpec().build();
        cluster.create(hog);
        Pod done = cluster.awaitPod("hog", pod -> firstContainerStatus(pod)
                .map(s -> s.getState().getTerminated() != null).orElse(false));
        var terminated = firstContainerStatus(done).orElseThrow().getState().getTerminated();
        assertThat(terminated.getReason()).isEqualTo("OOMKilled");
        assertThat(terminated.getExitCode()).isEqualTo(137);
        assertThat(done.getStatus().getPhase()).isEqualTo("Failed");
    }
}
