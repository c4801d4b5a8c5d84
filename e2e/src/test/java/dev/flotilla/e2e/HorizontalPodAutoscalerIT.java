package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.TempDirs;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The horizontal pod autoscaler end to end on a real node agent and containerd: {@code kubectl
 * autoscale} on a Deployment whose busybox pods burn cpu far above their 20m request scales it up to
 * maxReplicas, {@code kubectl get hpa} shows the TARGETS column, and once the load stops (a file on a
 * hostPath the pods watch) it scales back down after the HPA's short scale-down window. HPAs whose
 * target is missing or of an unknown kind report it in conditions and events. Needs root.
 */
class HorizontalPodAutoscalerIT {

    private static final Duration SCALE_DEADLINE = Duration.ofSeconds(120);

    private static NodeAgentCluster cluster;
    private static Path loadDir;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start("hpa-1", "--flotilla.apiserver.resource-metrics.scrape-interval=3s",
                "--flotilla.controllers.horizontal-pod-autoscaler-sync-period=3s");
        loadDir = TempDirs.create("flotilla-hpa-load-");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.kubectl("delete", "hpa", "--all");
            cluster.kubectl("delete", "deployment", "--all");
            cluster.kubectl("delete", "crd", "fleets.hpa.example.com");
        }
        Closeables.closeAll(cluster, () -> TempDirs.deleteRecursively(loadDir));
    }

    @Test
    void busyPodsScaleTheDeploymentUpAndIdleOnesBackDown() throws Exception {
        apply("burner.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: burner}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: burner}}
                  template:
                    metadata: {labels: {app: burner}}
                    spec:
                      terminationGracePeriodSeconds: 0
                      containers:
                      - name: main
                        image: busybox
                        command: [sh, -c, 'while [ ! -e /load/stop ]; do :; done; exec sleep 3600']
                        resources: {requests: {cpu: 20m}, limits: {cpu: 100m}}
                        volumeMounts: [{name: load, mountPath: /load}]
                      volumes:
                      - name: load
                        hostPath: {path: %s, type: Directory}
                """.formatted(loadDir));
        // The autoscaler comes once the pod has metrics: before, every 3 s sync would warn that there
        // are none, and upstream's spam filter (25 events per object, then 1 per 5 min) would then
        // drop the rescale events this test looks for.
        withDiagnostics("burner", () -> Await.until(SCALE_DEADLINE, "metrics for the burner pod", () -> cluster.kubectl(
                "get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/" + NodeAgentCluster.NAMESPACE + "/pods")
                .output().contains("\"burner-")));
        assertThat(cluster.kubectl("autoscale", "deployment", "burner", "--cpu-percent=50", "--min=1", "--max=3")
                .assertSuccess().output()).contains("horizontalpodautoscaler.autoscaling/burner autoscaled");
        cluster.kubectl("patch", "hpa.v2.autoscaling", "burner", "--type=merge", "-p",
                "{\"spec\":{\"behavior\":{\"scaleDown\":{\"stabilizationWindowSeconds\":10}}}}").assertSuccess();

        withDiagnostics("burner", () -> Await.until(SCALE_DEADLINE, "the Deployment scaled up to maxReplicas",
                () -> replicas("burner") == 3));
        awaitEvent("burner", "SuccessfulRescale",
                "New size: 3; reason: cpu resource utilization (percentage of request) above target");
        HorizontalPodAutoscaler scaled = Await.value(SCALE_DEADLINE, "status after the rescale", () -> {
            HorizontalPodAutoscaler hpa = hpa("burner");
            return hpa.getStatus() != null && hpa.getStatus().getLastScaleTime() != null
                    && hpa.getStatus().getCurrentMetrics() != null ? hpa : null;
        });
        System.out.println(cluster.kubectl("get", "hpa.v2.autoscaling", "burner", "-o", "yaml").output());
        assertThat(condition(scaled, "ScalingActive").getStatus()).isEqualTo("True");
        assertThat(condition(scaled, "ScalingActive").getReason()).isEqualTo("ValidMetricFound");
        assertThat(condition(scaled, "ScalingActive").getMessage()).isEqualTo("the HPA was able to successfully "
                + "calculate a replica count from cpu resource utilization (percentage of request)");
        assertThat(condition(scaled, "AbleToScale").getStatus()).isEqualTo("True");
        assertThat(scaled.getStatus().getCurrentMetrics().get(0).getResource().getCurrent().getAverageUtilization())
                .as("100m of 20m is far above 50 %").isGreaterThan(100);
        String table = withDiagnostics("burner", () -> Await.value(SCALE_DEADLINE,
                "kubectl get hpa with a measured cpu utilization and 3 replicas", () -> {
                    var result = cluster.kubectl("get", "hpa", "burner");
                    return result.exitCode() == 0 && Pattern.compile("burner\\s+Deployment/burner\\s+cpu: \\d+%/50%"
                            + "\\s+1\\s+3\\s+3").matcher(result.output()).find() ? result.output() : null;
                }));
        assertThat(table).containsPattern("NAME\\s+REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS\\s+AGE");
        JsonNode v1 = Json.mapper().readTree(cluster.kubectl("get", "--raw",
                "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/burner").assertSuccess().output());
        assertThat(v1.at("/apiVersion").asText()).isEqualTo("autoscaling/v1");
        assertThat(v1.at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(50);
        assertThat(v1.at("/status/currentCPUUtilizationPercentage").asInt()).isGreaterThan(100);
        JsonNode v1List = Json.mapper().readTree(cluster.kubectl("get", "--raw",
                "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers").assertSuccess().output());
        assertThat(v1List.path("items")).anySatisfy(item -> {
            assertThat(item.at("/metadata/name").asText()).isEqualTo("burner");
            assertThat(item.at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(50);
        });

        Files.createFile(loadDir.resolve("stop"));
        withDiagnostics("burner", () -> Await.until(SCALE_DEADLINE, "the Deployment scaled back down to minReplicas",
                () -> replicas("burner") == 1));
        awaitEvent("burner", "SuccessfulRescale", "New size: 1; reason: All metrics below target");
        // The controller writes the scale before its status: wait for the status to follow.
        Await.until(SCALE_DEADLINE, "the HPA status showing 1 desired replica",
                () -> hpa("burner").getStatus().getDesiredReplicas() == 1);
    }

    @Test
    void aMissingOrUnknownTargetIsReportedNotRetriedInALoop() {
        apply("bad-targets.yaml", """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: missing}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: nowhere}
                  maxReplicas: 3
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: unknown-kind}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Gizmo, name: g}
                  minReplicas: 2
                  maxReplicas: 4
                """);
        HorizontalPodAutoscalerCondition missing = awaitCondition("missing", "AbleToScale", "False");
        assertThat(missing.getReason()).isEqualTo("FailedGetScale");
        assertThat(missing.getMessage()).isEqualTo("the HPA controller was unable to get the target's current scale: "
                + "deployments.apps \"nowhere\" not found");
        awaitEvent("missing", "FailedGetScale", "deployments.apps \"nowhere\" not found");
        HorizontalPodAutoscalerCondition unknown = awaitCondition("unknown-kind", "AbleToScale", "False");
        assertThat(unknown.getMessage()).isEqualTo("the HPA controller was unable to get the target's current scale: "
                + "no matches for kind \"Gizmo\" in version \"apps/v1\"");
        assertThat(cluster.kubectl("get", "hpa", "missing", "unknown-kind").assertSuccess().output())
                .containsPattern("missing\\s+Deployment/nowhere\\s+cpu: <unknown>/60%\\s+<unset>\\s+3\\s+0")
                .containsPattern("unknown-kind\\s+Gizmo/g\\s+<none>\\s+2\\s+4\\s+0");
    }

    /** Runs {@code check}; when it fails, prints the HPA, its events and the pods' metrics first. */
    private static <T> T withDiagnostics(String hpa, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (AssertionError | RuntimeException e) {
            System.out.println(cluster.kubectl("get", "hpa.v2.autoscaling", hpa, "-o", "yaml").output());
            System.out.println(cluster.kubectl("get", "events", "--field-selector", "involvedObject.name=" + hpa).output());
            System.out.println(cluster.kubectl("get", "pods", "-o", "wide").output());
            System.out.println(cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods")
                    .output());
            throw e;
        }
    }

    @Test
    void aCustomResourceWithAScaleSubresourceIsBroughtWithinMaxReplicas() {
        apply("fleets.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: fleets.hpa.example.com}
                spec:
                  group: hpa.example.com
                  scope: Namespaced
                  names: {plural: fleets, singular: fleet, kind: Fleet}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    subresources:
                      status: {}
                      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec: {type: object, properties: {replicas: {type: integer}}}
                          status: {type: object, properties: {replicas: {type: integer}}}
                """);
        cluster.kubectl("wait", "--for=condition=established", "--timeout=60s", "crd/fleets.hpa.example.com")
                .assertSuccess();
        Await.until(SCALE_DEADLINE, "fleets served", () -> cluster.kubectl("get", "fleets").exitCode() == 0);
        apply("fleet.yaml", """
                apiVersion: hpa.example.com/v1
                kind: Fleet
                metadata: {name: ships}
                spec: {replicas: 6}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: ships}
                spec:
                  scaleTargetRef: {apiVersion: hpa.example.com/v1, kind: Fleet, name: ships}
                  minReplicas: 1
                  maxReplicas: 4
                """);
        Await.until(SCALE_DEADLINE, "the fleet scaled down to maxReplicas", () -> "4".equals(cluster.kubectl("get",
                "fleet", "ships", "-o", "jsonpath={.spec.replicas}").output()));
        awaitEvent("ships", "SuccessfulRescale", "New size: 4; reason: Current number of replicas above Spec.MaxReplicas");
        // Within range, the default cpu metric needs pods, and a Fleet's scale names no selector.
        HorizontalPodAutoscalerCondition inactive = awaitCondition("ships", "ScalingActive", "False");
        assertThat(inactive.getReason()).isEqualTo("InvalidSelector");
        assertThat(inactive.getMessage()).isEqualTo("the HPA target's scale is missing a selector");
    }

    @Test
    void invalidSpecsAreRefusedWithUpstreamsFieldErrors() {
        var result = cluster.kubectl("apply", "-f", cluster.controlPlane().file("invalid-hpa.yaml", """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: invalid}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment}
                  minReplicas: 4
                  maxReplicas: 2
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Percent, averageUtilization: 50}}
                """).toString());
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("\"invalid\" is invalid",
                "spec.scaleTargetRef.name: Required value",
                "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`",
                "spec.metrics[0].resource.target.type: Unsupported value: \"Percent\"");
    }

    private static void apply(String name, String yaml) {
        cluster.kubectl("apply", "-f", cluster.controlPlane().file(name, yaml).toString()).assertSuccess();
    }

    private static int replicas(String deployment) {
        var d = cluster.client().apps().deployments().inNamespace(NodeAgentCluster.NAMESPACE).withName(deployment).get();
        return d == null || d.getSpec().getReplicas() == null ? -1 : d.getSpec().getReplicas();
    }

    private static HorizontalPodAutoscaler hpa(String name) {
        return cluster.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(NodeAgentCluster.NAMESPACE)
                .withName(name).get();
    }

    private static HorizontalPodAutoscalerCondition condition(HorizontalPodAutoscaler hpa, String type) {
        return hpa.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + hpa.getStatus()));
    }

    private static HorizontalPodAutoscalerCondition awaitCondition(String name, String type, String status) {
        return Await.value(SCALE_DEADLINE, "HPA " + name + " " + type + "=" + status, () -> {
            HorizontalPodAutoscaler hpa = hpa(name);
            if (hpa == null || hpa.getStatus() == null || hpa.getStatus().getConditions() == null) {
                return null;
            }
            return hpa.getStatus().getConditions().stream()
                    .filter(c -> c.getType().equals(type) && c.getStatus().equals(status)).findFirst().orElse(null);
        });
    }

    private static void awaitEvent(String hpa, String reason, String message) {
        withDiagnostics(hpa, () -> Await.until(SCALE_DEADLINE, "event " + reason + " \"" + message + "\" of HPA " + hpa,
                () -> events(hpa, reason).contains(message)));
    }

    private static List<String> events(String hpa, String reason) {
        return cluster.client().v1().events().inNamespace(NodeAgentCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && "HorizontalPodAutoscaler".equals(e.getInvolvedObject().getKind())
                        && hpa.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .map(Event::getMessage).toList();
    }
}
