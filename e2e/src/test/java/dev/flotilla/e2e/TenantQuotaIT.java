package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.server.FlotillaServer;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant-wide aggregate quota end to end (API server, a second API server on the same etcd and
 * PostgreSQL, the controller manager): one usage over all the tenant's namespaces, exact under 50
 * concurrent creators on both servers, given back after deletes and after refused creates, visible to
 * the tenant's owner in the Tenant's status, and bad quotas refused with 422.
 */
class TenantQuotaIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> NAMESPACES = List.of("acme-1", "acme-2", "acme-3", "acme-4", "acme-5");
    private static final String IMAGE = "registry.acme.test/busybox";
    private static ControlPlane cluster;
    private static FlotillaServer second;
    private static KubernetesClient client;
    private static KubernetesClient secondClient;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start("--flotilla.scheduler.enabled=false");
        Await.until(Duration.ofSeconds(120), "kubectl apply the tenant", () -> cluster.kubectl("apply", "-f",
                cluster.file("acme.yaml", """
                        apiVersion: tenancy.flotilla.dev/v1
                        kind: Tenant
                        metadata:
                          name: acme
                        spec:
                          owners:
                          - kind: User
                            name: oidc:acme-owner
                          resourceQuota:
                            hard:
                              pods: "10"
                              requests.cpu: "5"
                              services: "2"
                          limitRange:
                            defaultRequest: {cpu: 100m, memory: 32Mi}
                            default: {cpu: 200m, memory: 64Mi}
                          podSecurity: {level: baseline}
                          allowedRegistries: [registry.acme.test]
                        """).toString()).exitCode() == 0);
        client = cluster.fabric8Client(Duration.ofSeconds(60));
        second = cluster.startAnotherServer();
        Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
        config.setMasterUrl("https://127.0.0.1:" + second.port());
        config.setRequestTimeout(60_000);
        secondClient = new KubernetesClientBuilder().withConfig(config).build();
        for (String namespace : NAMESPACES) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                    .addToLabels("tenancy.flotilla.dev/tenant", "acme").endMetadata().build()).create();
        }
        for (String namespace : NAMESPACES) {
            Await.until(WAIT, namespace + " has its tenant defaults", () -> "acme".equals(client.namespaces()
                    .withName(namespace).get().getMetadata().getAnnotations().get("tenancy.flotilla.dev/defaults-of")));
        }
        Await.until(WAIT, "the aggregate quota is counted", () -> "0".equals(used("pods")));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(secondClient, client);
        if (second != null) {
            second.stop();
        }
        Closeables.closeAll(cluster);
    }

    @Test
    void fiftyCreatorsOverFiveNamespacesAndTwoApiServersGetExactlyTheTenantsHardThenDeletesAndRefusalsGiveItBack()
            throws Exception {
        int creators = 50;
        ExecutorService pool = Executors.newFixedThreadPool(creators);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Pod>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < creators; i++) {
                String name = "racer-" + i;
                String namespace = NAMESPACES.get(i % NAMESPACES.size());
                KubernetesClient through = i % 2 == 0 ? client : secondClient;
                outcomes.add(pool.submit((Callable<Pod>) () -> {
                    go.await();
                    try {
                        return through.pods().inNamespace(namespace).resource(pod(name, IMAGE)).create();
                    } catch (KubernetesClientException e) {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                        assertThat(e.getStatus().getMessage()).isEqualTo("pods \"" + name + "\" is forbidden: "
                                + "exceeded quota: tenant-acme, requested: pods=1, used: pods=10, limited: pods=10");
                        return null;
                    }
                }));
            }
            go.countDown();
            List<String> admitted = new ArrayList<>();
            for (Future<Pod> outcome : outcomes) {
                Pod pod = outcome.get();
                if (pod != null) {
                    admitted.add(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
                }
            }
            assertThat(admitted).hasSize(10);
            assertThat(storedPods()).containsExactlyInAnyOrderElementsOf(admitted);
        } finally {
            pool.shutdownNow();
        }
        // Each pod got the LimitRange's 100m request: the tenant's compute usage is summed as well.
        Await.until(WAIT, "usage settles at hard", () -> "10".equals(used("pods")) && "1".equals(used("requests.cpu")));
        assertThat(cluster.kubectl("-n", "acme-3", "run", "late", "--image=" + IMAGE).output())
                .contains("Error from server (Forbidden): pods \"late\" is forbidden: exceeded quota: tenant-acme, "
                        + "requested: pods=1, used: pods=10, limited: pods=10");

        // Deletes in any namespace give the charge back (the controller recounts), for every namespace.
        List<String> stored = storedPods();
        for (String pod : stored.subList(0, 3)) {
            String[] parts = pod.split("/");
            client.pods().inNamespace(parts[0]).withName(parts[1]).withGracePeriod(0).delete();
        }
        Await.until(WAIT, "usage falls to 7 pods", () -> "7".equals(used("pods")));

        // A create refused after quota admission charged it (an image from a registry the tenant does not
        // allow, refused by the tenant rules) is given back at once: three pods fit, not fewer.
        for (int i = 0; i < 3; i++) {
            String name = "outsider-" + i;
            KubernetesClientException refused = catchThrowableOfType(
                    () -> client.pods().inNamespace("acme-1").resource(pod(name, "busybox")).create(),
                    KubernetesClientException.class);
            assertThat(refused.getCode()).isEqualTo(403);
            assertThat(refused.getStatus().getMessage()).contains("is not from a registry tenant acme allows");
        }
        assertThat(used("pods")).isEqualTo("7");
        for (int i = 0; i < 3; i++) {
            KubernetesClient through = i % 2 == 0 ? client : secondClient;
            through.pods().inNamespace(NAMESPACES.get(i)).resource(pod("refill-" + i, IMAGE)).create();
        }
        KubernetesClientException full = catchThrowableOfType(
                () -> secondClient.pods().inNamespace("acme-5").resource(pod("one-too-many", IMAGE)).create(),
                KubernetesClientException.class);
        assertThat(full.getStatus().getMessage()).endsWith("exceeded quota: tenant-acme, requested: pods=1, "
                + "used: pods=10, limited: pods=10");
        assertThat(storedPods()).hasSize(10);
    }

    @Test
    void objectCountsAreOneUsageOverAllNamespacesAndTheOwnerSeesItInTheTenantsStatus() {
        client.services().inNamespace("acme-1").resource(service("web")).create();
        secondClient.services().inNamespace("acme-2").resource(service("web")).create();
        Command.Result refused = cluster.kubectl("-n", "acme-3", "create", "service", "clusterip", "web",
                "--tcp=80:80");
        assertThat(refused.exitCode()).isNotZero();
        // (kubectl create service words a refusal "error: failed to create ClusterIP service: <message>")
        assertThat(refused.output()).contains("services \"web\" is forbidden: "
                + "exceeded quota: tenant-acme, requested: services=1, used: services=2, limited: services=2");
        assertThat(cluster.kubectl("get", "resourcequota", "-A", "-o", "jsonpath={.items[*].metadata.name}").output())
                .as("no per-namespace shares").isBlank();

        // The owner reads the usage in the Tenant, and the quota itself, but cannot change the quota.
        Await.until(WAIT, "the Tenant's status shows the services used", () -> "2".equals(asOwner("get", "tenant",
                "acme", "-o", "jsonpath={.status.resourceQuota.used.services}").output().trim()));
        assertThat(asOwner("get", "tenant", "acme", "-o", "yaml").assertSuccess().output())
                .contains("resourceQuota:").contains("used:").contains("services: \"2\"");
        assertThat(asOwner("get", "tenantresourcequota", "acme", "-o", "jsonpath={.status.hard.services}")
                .assertSuccess().output()).isEqualTo("2");
        // Columns as kubectl get quota prints them: used/hard per resource.
        assertThat(asOwner("get", "tquota", "acme").assertSuccess().output())
                .containsPattern("NAME\\s+AGE\\s+REQUEST\\s+LIMIT")
                .containsPattern("acme\\s+\\S+\\s+pods: \\d+/10, requests.cpu: \\S+/5, services: 2/2");
        Command.Result edit = asOwner("patch", "tenantresourcequota", "acme", "--type=merge", "-p",
                "{\"spec\":{\"hard\":{\"services\":\"100\"}}}");
        assertThat(edit.exitCode()).isNotZero();
        assertThat(edit.output()).contains("Forbidden");

        // Deleting a service in one namespace frees the place for another namespace.
        client.services().inNamespace("acme-1").withName("web").delete();
        Await.until(WAIT, "a service fits in acme-3 again", () -> cluster.kubectl("-n", "acme-3", "create", "service",
                "clusterip", "web", "--tcp=80:80").exitCode() == 0);
        Await.until(WAIT, "usage settles at 2 services", () -> "2".equals(used("services")));
    }

    @Test
    void aQuotaWithBadQuantitiesOrResourcesIsRefusedWith422AtItsFieldPaths() {
        Command.Result refused = cluster.kubectl("apply", "-f", cluster.file("bad.yaml", """
                apiVersion: tenancy.flotilla.dev/v1
                kind: Tenant
                metadata:
                  name: bad
                spec:
                  owners: [{kind: User, name: oidc:bad-owner}]
                  resourceQuota:
                    hard:
                      requests.cpu: lots
                      pods: "-1"
                      bananas: "3"
                """).toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("is invalid")
                .contains("spec.resourceQuota.hard.requests.cpu: Invalid value: \"lots\"")
                .contains("spec.resourceQuota.hard.pods: Invalid value: \"-1\": must be greater than or equal to 0")
                .contains("spec.resourceQuota.hard.bananas: Invalid value: \"bananas\": must be a standard resource "
                        + "for quota");
        HttpResponse<String> status = cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url()
                + "/apis/tenancy.flotilla.dev/v1/tenantresourcequotas")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"tenancy.flotilla.dev/v1\","
                        + "\"kind\":\"TenantResourceQuota\",\"metadata\":{\"name\":\"bad\"},"
                        + "\"spec\":{\"hard\":{\"pods\":\"-2\"}}}")).build());
        assertThat(status.statusCode()).isEqualTo(422);
        assertThat(status.body()).contains("\"reason\":\"Invalid\"")
                .contains("spec.hard.pods: Invalid value: \\\"-2\\\": must be greater than or equal to 0");
    }

    private static Command.Result asOwner(String... args) {
        List<String> all = new ArrayList<>(List.of("--as", "oidc:acme-owner"));
        all.addAll(List.of(args));
        return cluster.kubectl(all.toArray(String[]::new));
    }

    /** The aggregate quota's {@code status.used} of one resource, or null before the controller counted it. */
    private static String used(String resource) {
        var quota = client.genericKubernetesResources("tenancy.flotilla.dev/v1", "TenantResourceQuota")
                .withName("acme").get();
        if (quota == null || !(quota.getAdditionalProperties().get("status") instanceof java.util.Map<?, ?> status)
                || !(status.get("used") instanceof java.util.Map<?, ?> used)) {
            return null;
        }
        Object value = used.get(resource);
        return value == null ? null : value.toString();
    }

    private static List<String> storedPods() {
        return NAMESPACES.stream().flatMap(ns -> client.pods().inNamespace(ns).list().getItems().stream())
                .map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()).toList();
    }

    private static Pod pod(String name, String image) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().addNewContainer()
                .withName("c").withImage(image).endContainer().endSpec().build();
    }

    private static io.fabric8.kubernetes.api.model.Service service(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().addNewPort()
                .withPort(80).endPort().endSpec().build();
    }
}
