package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controllers.ControllerManager;
import dev.flotilla.controllers.ControllerManagerSettings;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller manager running inside the server against real etcd: namespace deletion, the
 * default ServiceAccount, the kube-root-ca.crt ConfigMap, cascading deletion in each mode, metrics, and leader election with a
 * second controller manager.
 */
class ControllersIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static ControlPlane cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start("--flotilla.controllers.lease-duration=4s",
                "--flotilla.controllers.renew-deadline=3s", "--flotilla.controllers.retry-period=500ms");
        client = cluster.fabric8Client();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(client, cluster);
    }

    @Test
    void deletingANamespaceEmptiesItThenRemovesIt() {
        cluster.kubectl("create", "namespace", "doomed").assertSuccess();
        assertThat(client.namespaces().withName("doomed").get().getSpec().getFinalizers()).containsExactly("kubernetes");
        cluster.kubectl("-n", "doomed", "create", "configmap", "plain").assertSuccess();
        cluster.kubectl("-n", "doomed", "create", "secret", "generic", "s", "--from-literal=a=b").assertSuccess();
        client.configMaps().inNamespace("doomed").resource(new ConfigMapBuilder().withNewMetadata().withName("held")
                .withFinalizers("example.com/hold").endMetadata().build()).create();

        cluster.kubectl("delete", "namespace", "doomed", "--wait=false").assertSuccess();

        Namespace terminating = Await.value(WAIT, "content-remaining condition", () -> {
            Namespace ns = client.namespaces().withName("doomed").get();
            return condition(ns, "NamespaceContentRemaining") != null
                    && "True".equals(condition(ns, "NamespaceContentRemaining").getStatus()) ? ns : null;
        });
        assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");
        assertThat(condition(terminating, "NamespaceContentRemaining").getReason()).isEqualTo("SomeResourcesRemain");
        assertThat(condition(terminating, "NamespaceContentRemaining").getMessage())
                .isEqualTo("Some resources are remaining: configmaps has 1 resource instances");
        assertThat(condition(terminating, "NamespaceFinalizersRemaining").getMessage())
                .isEqualTo("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
        assertThat(condition(terminating, "NamespaceDeletionDiscoveryFailure").getReason()).isEqualTo("ResourcesDiscovered");
        assertThat(client.secrets().inNamespace("doomed").list().getItems()).isEmpty();
        assertThat(cluster.kubectl("-n", "doomed", "create", "configmap", "late").output())
                .contains("unable to create new content in namespace doomed because it is being terminated");

        cluster.kubectl("-n", "doomed", "patch", "configmap", "held", "--type=json",
                "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]").assertSuccess();
        Await.until(WAIT, "namespace gone", () -> client.namespaces().withName("doomed").get() == null);
    }

    @Test
    void everyNamespaceGetsADefaultServiceAccountRecreatedWhenDeleted() {
        cluster.kubectl("create", "namespace", "accounts").assertSuccess();
        String first = Await.value(WAIT, "default service account", () -> {
            var sa = client.serviceAccounts().inNamespace("accounts").withName("default").get();
            return sa == null ? null : sa.getMetadata().getUid();
        });
        cluster.kubectl("-n", "accounts", "delete", "serviceaccount", "default").assertSuccess();
        Await.until(WAIT, "default service account recreated", () -> {
            var sa = client.serviceAccounts().inNamespace("accounts").withName("default").get();
            return sa != null && !sa.getMetadata().getUid().equals(first);
        });
    }

    @Test
    void everyNamespaceGetsTheRootCaConfigMapRestoredWhenDeletedOrEdited() throws Exception {
        String ca = Files.readString(cluster.pkiDir().resolve("ca.crt"));
        assertThat(ca).startsWith("-----BEGIN CERTIFICATE-----");
        for (String existing : List.of("default", "kube-system", "kube-public")) {
            Await.until(WAIT, "kube-root-ca.crt in " + existing,
                    () -> client.configMaps().inNamespace(existing).withName("kube-root-ca.crt").get() != null);
        }
        cluster.kubectl("create", "namespace", "trusting").assertSuccess();
        ConfigMap published = Await.value(WAIT, "kube-root-ca.crt in a new namespace",
                () -> client.configMaps().inNamespace("trusting").withName("kube-root-ca.crt").get());
        assertThat(published.getData()).containsExactly(Map.entry("ca.crt", ca));
        assertThat(published.getMetadata().getAnnotations()).containsEntry("kubernetes.io/description",
                "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such "
                        + "as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
                        + "distributions of Kubernetes clusters.");
        assertThat(cluster.kubectl("-n", "trusting", "get", "configmap", "kube-root-ca.crt").assertSuccess().output())
                .containsPattern("kube-root-ca.crt\\s+1\\s+");

        cluster.kubectl("-n", "trusting", "delete", "configmap", "kube-root-ca.crt").assertSuccess();
        Await.until(WAIT, "kube-root-ca.crt recreated", () -> {
            ConfigMap now = client.configMaps().inNamespace("trusting").withName("kube-root-ca.crt").get();
            return now != null && !now.getMetadata().getUid().equals(published.getMetadata().getUid());
        });

        cluster.kubectl("-n", "trusting", "patch", "configmap", "kube-root-ca.crt", "--type=merge",
                "-p", "{\"data\":{\"ca.crt\":\"not a CA\",\"extra\":\"x\"}}").assertSuccess();
        Await.until(WAIT, "the edited data put back", () -> Map.of("ca.crt", ca).equals(
                client.configMaps().inNamespace("trusting").withName("kube-root-ca.crt").get().getData()));
        cluster.kubectl("-n", "trusting", "annotate", "configmap", "kube-root-ca.crt", "kubernetes.io/description-")
                .assertSuccess();
        Await.until(WAIT, "the description annotation put back", () -> client.configMaps().inNamespace("trusting")
                .withName("kube-root-ca.crt").get().getMetadata().getAnnotations() != null
                && client.configMaps().inNamespace("trusting").withName("kube-root-ca.crt").get().getMetadata()
                        .getAnnotations().containsKey("kubernetes.io/description"));
    }

    @Test
    void cascadingDeletionInEachMode() {
        cluster.kubectl("create", "namespace", "cascade").assertSuccess();
        for (String mode : List.of("background", "foreground", "orphan")) {
            ConfigMap owner = client.configMaps().inNamespace("cascade").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("owner-" + mode).endMetadata().build()).create();
            client.configMaps().inNamespace("cascade").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("dependent-" + mode).withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1")
                            .withKind("ConfigMap").withName(owner.getMetadata().getName())
                            .withUid(owner.getMetadata().getUid()).withBlockOwnerDeletion(true).build())
                    .endMetadata().build()).create();
            cluster.kubectl("-n", "cascade", "delete", "configmap", "owner-" + mode, "--cascade=" + mode)
                    .assertSuccess();
            Await.until(WAIT, "owner deleted (" + mode + ")",
                    () -> client.configMaps().inNamespace("cascade").withName("owner-" + mode).get() == null);
            var dependent = client.configMaps().inNamespace("cascade").withName("dependent-" + mode);
            if (mode.equals("orphan")) {
                Await.until(WAIT, "dependent orphaned", () -> dependent.get() != null
                        && dependent.get().getMetadata().getOwnerReferences().isEmpty());
            } else {
                Await.until(WAIT, "dependent collected (" + mode + ")", () -> dependent.get() == null);
            }
        }
    }

    @Test
    void foregroundDeletionWaitsForBlockingDependentsAndDanglingReferencesAreCollected() {
        cluster.kubectl("create", "namespace", "foreground").assertSuccess();
        var configMaps = client.configMaps().inNamespace("foreground");
        ConfigMap owner = configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata()
                .build()).create();
        configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName("blocker").withFinalizers("example.com/hold")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                        .withName("owner").withUid(owner.getMetadata().getUid()).withBlockOwnerDeletion(true).build())
                .endMetadata().build()).create();
        configMaps.withName("owner").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
        Await.until(WAIT, "blocker being deleted", () -> configMaps.withName("blocker").get().getMetadata()
                .getDeletionTimestamp() != null);
        assertThat(configMaps.withName("owner").get().getMetadata().getFinalizers()).contains("foregroundDeletion");
        configMaps.withName("blocker").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
        Await.until(WAIT, "owner gone after its blocking dependent", () -> configMaps.withName("owner").get() == null);

        configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName("dangling")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                        .withName("never-existed").withUid("00000000-0000-0000-0000-000000000000").build())
                .endMetadata().build()).create();
        Await.until(WAIT, "dangling dependent collected", () -> configMaps.withName("dangling").get() == null);
    }

    @Test
    void invalidPropagationPolicyIsUnprocessable() throws Exception {
        cluster.kubectl("create", "configmap", "policy-check").assertSuccess();
        var response = cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url()
                + "/api/v1/namespaces/default/configmaps/policy-check?propagationPolicy=Sideways")).DELETE().build());
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("DeleteOptions.meta.k8s.io \\\"\\\" is invalid: propagationPolicy: "
                + "Unsupported value: \\\"Sideways\\\": supported values: \\\"Foreground\\\", \\\"Background\\\", \\\"Orphan\\\"");
    }

    @Test
    void jobsOrphanByDefaultAndBothPolicyFieldsAreUnprocessable() throws Exception {
        cluster.kubectl("create", "namespace", "policies").assertSuccess();
        cluster.kubectl("-n", "policies", "create", "job", "j", "--image=busybox").assertSuccess();
        var admin = cluster.admin();
        String job = cluster.url() + "/apis/batch/v1/namespaces/policies/jobs/j";
        var both = admin.send(HttpRequest.newBuilder(URI.create(job)).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(
                        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"orphanDependents\":true,"
                                + "\"propagationPolicy\":\"Orphan\"}")).build());
        assertThat(both.statusCode()).isEqualTo(422);
        assertThat(both.body()).contains("orphanDependents and deletionPropagation cannot be both set");

        // No policy named: a batch/v1 Job orphans (upstream's default), held by the orphan finalizer
        // until the garbage collector has released its dependents.
        var deleted = admin.send(HttpRequest.newBuilder(URI.create(job)).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).contains("\"orphan\"").contains("deletionTimestamp");
        Await.until(WAIT, "job gone once orphaned", () -> admin.get("/apis/batch/v1/namespaces/policies/jobs/j")
                .statusCode() == 404);

        client.configMaps().inNamespace("policies").resource(new ConfigMapBuilder().withNewMetadata().withName("held")
                .withFinalizers("example.com/hold").endMetadata().build()).create();
        var accepted = admin.send(HttpRequest.newBuilder(URI.create(cluster.url()
                + "/api/v1/namespaces/policies/configmaps/held?orphanDependents=false")).DELETE().build());
        assertThat(accepted.statusCode()).as("202 only for orphanDependents=false, as upstream").isEqualTo(202);
    }

    @Test
    void metricsShowTheControllersQueues() {
        Await.until(WAIT, "controller metrics", () -> {
            String metrics = cluster.admin().get("/metrics").body();
            return metrics.contains("workqueue_depth{name=\"namespace\"}")
                    && metrics.contains("controller_reconcile_duration_seconds_bucket{controller=\"garbagecollector\"");
        });
    }

    @Test
    void aSecondControllerManagerTakesOverWhenTheLeaderStops() throws Exception {
        ControllerManager inProcess = cluster.server().controllers();
        Await.until(WAIT, "in-process manager leads", inProcess::isLeader);
        ControllerManagerSettings settings = ControllerManagerSettings.defaults()
                .withLease(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500));
        try (ControllerManager second = ControllerManager.start(cluster.stateDir().resolve("controller-manager.kubeconfig"),
                new SimpleMeterRegistry(), settings)) {
            Lease lease = client.leases().inNamespace("kube-system").withName("flotilla-controller-manager").get();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(inProcess.identity());
            assertThat(second.isLeader()).isFalse();

            long stopped = System.nanoTime();
            inProcess.close();
            Await.until(Duration.ofSeconds(4), "second manager leads within the lease duration", second::isLeader);
            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(4));

            cluster.kubectl("create", "namespace", "after-failover").assertSuccess();
            Await.until(WAIT, "new leader's service account controller works",
                    () -> client.serviceAccounts().inNamespace("after-failover").withName("default").get() != null);

            // An API server restart while the leader reconciles: it keeps its lease and its controllers recover.
            cluster.restartServer();
            cluster.kubectl("create", "namespace", "after-restart").assertSuccess();
            Await.until(WAIT, "controllers work after an API server restart",
                    () -> client.serviceAccounts().inNamespace("after-restart").withName("default").get() != null);
        }
    }

    private static NamespaceCondition condition(Namespace namespace, String type) {
        if (namespace == null || namespace.getStatus() == null) {
            return null;
        }
        return namespace.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElse(null);
    }
}
