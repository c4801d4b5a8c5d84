package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ResourceQuota status and PodDisruptionBudget controllers in the server against real etcd. */
class QuotaAndDisruptionIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static ControlPlane cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        // Pods get their IP and readiness through pods/status here, so no scheduler writes to them.
        cluster = ControlPlane.start("--flotilla.scheduler.enabled=false");
        client = cluster.fabric8Client(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(client, cluster);
    }

    @Test
    void quotaUsedCountsPodsTheirResourcesAndObjects() {
        namespace("quota");
        // Created before the quotas: a quota on cpu and memory refuses pods that do not state them.
        client.pods().inNamespace("quota").resource(new PodBuilder().withNewMetadata().withName("plain").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build())
                .create();
        Map<String, Quantity> hard = new LinkedHashMap<>();
        hard.put("pods", new Quantity("10"));
        hard.put("requests.cpu", new Quantity("4"));
        hard.put("requests.memory", new Quantity("4Gi"));
        hard.put("limits.memory", new Quantity("8Gi"));
        hard.put("configmaps", new Quantity("10"));
        hard.put("count/configmaps", new Quantity("10"));
        hard.put("services", new Quantity("5"));
        hard.put("services.nodeports", new Quantity("5"));
        client.resourceQuotas().inNamespace("quota").resource(new ResourceQuotaBuilder().withNewMetadata()
                .withName("compute").endMetadata().withNewSpec().withHard(hard).endSpec().build()).create();
        client.resourceQuotas().inNamespace("quota").resource(new ResourceQuotaBuilder().withNewMetadata()
                .withName("best-effort").endMetadata().withNewSpec().withHard(Map.of("pods", new Quantity("3")))
                .withScopes("BestEffort").endSpec().build()).create();

        Await.until(WAIT, "usage of the pod without resources", () -> used("compute", "pods").equals("1")
                && used("compute", "requests.memory").equals("0"));
        assertThat(client.resourceQuotas().inNamespace("quota").withName("compute").get().getStatus().getHard())
                .containsKeys("pods", "requests.cpu", "count/configmaps");

        for (int i = 0; i < 2; i++) {
            client.pods().inNamespace("quota").resource(new PodBuilder().withNewMetadata().withName("sized-" + i)
                    .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox").withNewResources()
                    .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("64Mi"))
                    .addToLimits("memory", new Quantity("128Mi")).endResources().endContainer().endSpec().build())
                    .create();
        }
        for (int i = 0; i < 3; i++) {
            client.configMaps().inNamespace("quota").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("cm-" + i).endMetadata().build()).create();
        }
        cluster.kubectl("-n", "quota", "create", "service", "nodeport", "np", "--tcp=80:8080,443:8443").assertSuccess();

        // The namespace's kube-root-ca.crt counts too, as upstream.
        Await.until(WAIT, "usage after creating pods, configmaps and a service", () ->
                used("compute", "pods").equals("3") && used("compute", "configmaps").equals("4")
                        && used("compute", "count/configmaps").equals("4") && used("compute", "services").equals("1"));
        assertThat(used("compute", "requests.cpu")).isEqualTo("500m");
        assertThat(used("compute", "requests.memory")).isEqualTo("128Mi");
        assertThat(used("compute", "limits.memory")).isEqualTo("256Mi");
        assertThat(used("compute", "services.nodeports")).isEqualTo("2");
        Await.until(WAIT, "best-effort scope counts only the pod without resources",
                () -> used("best-effort", "pods").equals("1"));

        // A finished pod no longer counts.
        client.pods().inNamespace("quota").withName("sized-0").editStatus(p -> new PodBuilder(p).editOrNewStatus()
                .withPhase("Succeeded").endStatus().build());
        Await.until(WAIT, "succeeded pod released", () -> used("compute", "pods").equals("2")
                && used("compute", "requests.cpu").equals("250m"));
        client.configMaps().inNamespace("quota").withName("cm-0").delete();
        Await.until(WAIT, "deleted configmap released", () -> used("compute", "configmaps").equals("3"));
    }

    @Test
    void aBudgetWithMinAvailableAllowsExactlyTheExpectedEvictions() {
        namespace("budget");
        for (int i = 0; i < 4; i++) {
            readyPod("budget", "web-" + i, "web", null);
        }
        client.policy().v1().podDisruptionBudget().inNamespace("budget").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("web").endMetadata().withNewSpec().withMinAvailable(new IntOrString(2))
                .withNewSelector().addToMatchLabels("app", "web").endSelector().endSpec().build()).create();

        PodDisruptionBudget budget = Await.value(WAIT, "budget status", () -> {
            PodDisruptionBudget b = budget("budget", "web");
            return b.getStatus() != null && Integer.valueOf(2).equals(b.getStatus().getDisruptionsAllowed()) ? b : null;
        });
        assertThat(budget.getStatus().getCurrentHealthy()).isEqualTo(4);
        assertThat(budget.getStatus().getDesiredHealthy()).isEqualTo(2);
        assertThat(budget.getStatus().getExpectedPods()).isEqualTo(4);
        assertThat(budget.getStatus().getObservedGeneration()).isEqualTo(budget.getMetadata().getGeneration());
        assertThat(condition(budget).getStatus()).isEqualTo("True");
        assertThat(condition(budget).getReason()).isEqualTo("SufficientPods");

        int evicted = 0;
        for (int i = 0; i < 4; i++) {
            int index = i;
            // Each eviction waits until the controller has seen the previous one (as a drain retries).
            Await.until(WAIT, "budget caught up", () -> {
                PodDisruptionBudget b = budget("budget", "web");
                return b.getStatus().getDisruptedPods() == null || b.getStatus().getDisruptedPods().isEmpty();
            });
            if (client.pods().inNamespace("budget").withName("web-" + index).evict()) {
                evicted++;
            }
        }
        assertThat(evicted).isEqualTo(2);
        assertThat(client.pods().inNamespace("budget").list().getItems()).hasSize(2);
        PodDisruptionBudget exhausted = Await.value(WAIT, "budget exhausted", () -> {
            PodDisruptionBudget b = budget("budget", "web");
            return Integer.valueOf(2).equals(b.getStatus().getCurrentHealthy()) ? b : null;
        });
        assertThat(exhausted.getStatus().getDisruptionsAllowed()).isZero();
        assertThat(condition(exhausted).getStatus()).isEqualTo("False");
        assertThat(condition(exhausted).getReason()).isEqualTo("InsufficientPods");

        // A pod turning unready takes a healthy one away; turning ready again gives it back.
        client.pods().inNamespace("budget").withName("web-2").editStatus(p -> new PodBuilder(p).editOrNewStatus()
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("False").build())
                .endStatus().build());
        Await.until(WAIT, "one healthy", () -> Integer.valueOf(1).equals(budget("budget", "web").getStatus()
                .getCurrentHealthy()));
    }

    @Test
    void maxUnavailablePercentScalesWithTheOwningControllerAndPodsWithoutOneFailSafe() {
        namespace("scaled");
        // A StatefulSet owns the pods, while the budget scales with its spec.replicas. Its controller
        // only counts pods named <set>-<ordinal> as members, so it leaves these alone; the rc-0 it
        // creates stays unready here (no scheduler), so the healthy count is the test's three.
        var rc = client.apps().statefulSets().inNamespace("scaled").resource(
                new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder().withNewMetadata().withName("rc")
                        .endMetadata().withNewSpec().withReplicas(4).withServiceName("owned").withNewSelector()
                        .addToMatchLabels("app", "owned").endSelector().withNewTemplate().withNewMetadata()
                        .withLabels(Map.of("app", "owned")).endMetadata().withNewSpec().addNewContainer().withName("c")
                        .withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build()).create();
        for (int i = 0; i < 3; i++) {
            readyPod("scaled", "owned-" + i, "owned", rc);
        }
        client.policy().v1().podDisruptionBudget().inNamespace("scaled").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("owned").endMetadata().withNewSpec()
                .withMaxUnavailable(new IntOrString("25%")).withNewSelector().addToMatchLabels("app", "owned")
                .endSelector().endSpec().build()).create();
        PodDisruptionBudget owned = Await.value(WAIT, "scaled budget", () -> {
            PodDisruptionBudget b = budget("scaled", "owned");
            return b.getStatus() != null && Integer.valueOf(4).equals(b.getStatus().getExpectedPods()) ? b : null;
        });
        // 25% of 4 replicas rounds up to 1 unavailable: 3 must be healthy, 3 are, nothing to spare.
        assertThat(owned.getStatus().getDesiredHealthy()).isEqualTo(3);
        assertThat(owned.getStatus().getCurrentHealthy()).isEqualTo(3);
        assertThat(owned.getStatus().getDisruptionsAllowed()).isZero();
        assertThat(condition(owned).getReason()).isEqualTo("InsufficientPods");

        readyPod("scaled", "loose", "loose", null);
        client.policy().v1().podDisruptionBudget().inNamespace("scaled").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("loose").endMetadata().withNewSpec()
                .withMaxUnavailable(new IntOrString(1)).withNewSelector().addToMatchLabels("app", "loose")
                .endSelector().endSpec().build()).create();
        PodDisruptionBudget loose = Await.value(WAIT, "fail-safe status", () -> {
            PodDisruptionBudget b = budget("scaled", "loose");
            return b.getStatus() != null && condition(b) != null ? b : null;
        });
        assertThat(condition(loose).getReason()).isEqualTo("SyncFailed");
        assertThat(condition(loose).getMessage()).isEqualTo("found no controller ref for pod \"loose\"");
        assertThat(loose.getStatus().getDisruptionsAllowed()).isZero();
    }

    private static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    private static String used(String quota, String resource) {
        ResourceQuota q = client.resourceQuotas().inNamespace("quota").withName(quota).get();
        if (q.getStatus() == null || q.getStatus().getUsed() == null || !q.getStatus().getUsed().containsKey(resource)) {
            return "";
        }
        return q.getStatus().getUsed().get(resource).toString();
    }

    private static void readyPod(String namespace, String name, String app,
            io.fabric8.kubernetes.api.model.HasMetadata owner) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec();
        if (owner != null) {
            pod.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion())
                    .withKind(owner.getKind()).withName(owner.getMetadata().getName())
                    .withUid(owner.getMetadata().getUid()).withController(true).build()).endMetadata();
        }
        client.pods().inNamespace(namespace).resource(pod.build()).create();
        client.pods().inNamespace(namespace).withName(name).editStatus(p -> new PodBuilder(p).editOrNewStatus()
                .withPhase("Running").withPodIP("10.9.0.1")
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
                .endStatus().build());
    }

    private static PodDisruptionBudget budget(String namespace, String name) {
        return client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(name).get();
    }

    private static Condition condition(PodDisruptionBudget budget) {
        List<Condition> conditions = budget.getStatus().getConditions();
        return conditions == null ? null : conditions.stream().filter(c -> "DisruptionAllowed".equals(c.getType()))
                .findFirst().orElse(null);
    }

}
