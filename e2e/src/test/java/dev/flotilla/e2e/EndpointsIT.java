package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Endpoints and EndpointSlice controllers in the server against real etcd: pods given IPs and
 * readiness through pods/status, as a kubelet would report them.
 */
class EndpointsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static ControlPlane cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        // Pods get their IP and readiness through pods/status here, so no scheduler writes to them.
        cluster = ControlPlane.start("--flotilla.scheduler.enabled=false");
        client = cluster.fabric8Client(Duration.ofSeconds(60));
        // The pods name this node; it must exist, or pod GC deletes them as orphans of a deleted node.
        client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("node-a")
                .endMetadata().build()).create();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(client, cluster);
    }

    @Test
    void endpointsAndSlicesFollowPodsBecomingReadyUnreadyTerminatingAndDeleted() {
        namespace("follow");
        service("follow", "web", Map.of("app", "web"), false);
        pod("follow", "web-1", "web", 8080, "node-a");
        pod("follow", "web-2", "web", 8081, "node-a");
        status("follow", "web-1", "10.1.0.1", true);
        status("follow", "web-2", "10.1.0.2", false);

        // Named targetPort "http" resolves per pod (8080 vs 8081), so each pod has its own subset.
        Endpoints endpoints = Await.value(WAIT, "endpoints with both pods", () -> {
            Endpoints e = client.endpoints().inNamespace("follow").withName("web").get();
            return e != null && e.getSubsets().size() == 2 ? e : null;
        });
        EndpointSubset first = subsetWithPort(endpoints, 8080);
        assertThat(first.getAddresses()).extracting(EndpointAddress::getIp).containsExactly("10.1.0.1");
        assertThat(first.getAddresses().get(0).getNodeName()).isEqualTo("node-a");
        assertThat(first.getAddresses().get(0).getTargetRef().getKind()).isEqualTo("Pod");
        assertThat(first.getAddresses().get(0).getTargetRef().getName()).isEqualTo("web-1");
        assertThat(first.getPorts()).extracting(p -> p.getName() + ":" + p.getPort() + "/" + p.getProtocol())
                .containsExactlyInAnyOrder("http:8080/TCP", "metrics:9090/TCP");
        EndpointSubset second = subsetWithPort(endpoints, 8081);
        assertThat(second.getAddresses()).isEmpty();
        assertThat(second.getNotReadyAddresses()).extracting(EndpointAddress::getIp).containsExactly("10.1.0.2");
        assertThat(endpoints.getMetadata().getAnnotations()).containsKey("endpoints.kubernetes.io/last-change-trigger-time");

        List<EndpointSlice> slices = Await.value(WAIT, "two slices, one per port set", () -> {
            List<EndpointSlice> s = slices("follow", "web");
            return s.size() == 2 && s.stream().allMatch(x -> x.getEndpoints().size() == 1) ? s : null;
        });
        Service service = client.services().inNamespace("follow").withName("web").get();
        for (EndpointSlice slice : slices) {
            assertThat(slice.getAddressType()).isEqualTo("IPv4");
            assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
                    .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
            assertThat(slice.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getKind()).isEqualTo("Service");
                assertThat(o.getUid()).isEqualTo(service.getMetadata().getUid());
                assertThat(o.getController()).isTrue();
            });
        }
        Endpoint notReady = endpoint(slices, "10.1.0.2");
        assertThat(notReady.getConditions().getReady()).isFalse();
        assertThat(notReady.getConditions().getServing()).isFalse();
        assertThat(notReady.getConditions().getTerminating()).isFalse();
        assertThat(notReady.getNodeName()).isEqualTo("node-a");
        assertThat(notReady.getTargetRef().getName()).isEqualTo("web-2");

        status("follow", "web-2", "10.1.0.2", true);
        Await.until(WAIT, "web-2 ready in endpoints", () -> subsetWithPort(
                client.endpoints().inNamespace("follow").withName("web").get(), 8081).getAddresses().size() == 1);
        Await.until(WAIT, "web-2 ready in its slice", () -> Boolean.TRUE.equals(
                endpoint(slices("follow", "web"), "10.1.0.2").getConditions().getReady()));
        Set<String> namesBefore = names(slices("follow", "web"));

        // Terminating (held by a finalizer): out of Endpoints, in its slice as serving and terminating.
        client.pods().inNamespace("follow").withName("web-1").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}");
        client.pods().inNamespace("follow").withName("web-1").withGracePeriod(0).delete();
        Await.until(WAIT, "terminating pod out of endpoints", () -> client.endpoints().inNamespace("follow")
                .withName("web").get().getSubsets().size() == 1);
        Endpoint terminating = Await.value(WAIT, "terminating condition", () -> {
            Endpoint e = endpoint(slices("follow", "web"), "10.1.0.1");
            return e != null && Boolean.TRUE.equals(e.getConditions().getTerminating()) ? e : null;
        });
        assertThat(terminating.getConditions().getReady()).isFalse();
        assertThat(terminating.getConditions().getServing()).isTrue();

        client.pods().inNamespace("follow").withName("web-1").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":null}}");
        Await.until(WAIT, "deleted pod out of the slices", () -> slices("follow", "web").stream()
                .mapToInt(s -> s.getEndpoints().size()).sum() == 1);
        assertThat(names(slices("follow", "web"))).isSubsetOf(namesBefore);

        cluster.kubectl("-n", "follow", "delete", "service", "web").assertSuccess();
        Await.until(WAIT, "endpoints and slices gone with the service", () ->
                client.endpoints().inNamespace("follow").withName("web").get() == null
                        && slices("follow", "web").isEmpty());
    }

    @Test
    void publishNotReadyAddressesAndServicesWithoutSelectorAreLeftAlone() {
        namespace("publish");
        service("publish", "peers", Map.of("app", "peer"), true);
        pod("publish", "peer-1", "peer", 8080, null);
        status("publish", "peer-1", "10.2.0.1", false);
        Await.until(WAIT, "not-ready pod published as ready", () -> {
            Endpoints e = client.endpoints().inNamespace("publish").withName("peers").get();
            return e != null && e.getSubsets().size() == 1 && e.getSubsets().get(0).getAddresses().size() == 1;
        });
        Endpoint published = Await.value(WAIT, "slice endpoint", () -> endpoint(slices("publish", "peers"), "10.2.0.1"));
        assertThat(published.getConditions().getReady()).isTrue();

        client.services().inNamespace("publish").resource(new ServiceBuilder().withNewMetadata().withName("external")
                .endMetadata().withNewSpec().addNewPort().withPort(443).endPort().endSpec().build()).create();
        client.endpoints().inNamespace("publish").resource(new EndpointsBuilder().withNewMetadata().withName("external")
                .endMetadata().addNewSubset().addNewAddress().withIp("192.0.2.10").endAddress().addNewPort()
                .withPort(443).endPort().endSubset().build()).create();
        // A pod change in the namespace reconciles every selector service; the manual Endpoints stay.
        status("publish", "peer-1", "10.2.0.1", true);
        Await.until(WAIT, "peer slice updated", () -> Boolean.TRUE.equals(
                endpoint(slices("publish", "peers"), "10.2.0.1").getConditions().getServing()));
        Endpoints manual = client.endpoints().inNamespace("publish").withName("external").get();
        assertThat(manual.getSubsets().get(0).getAddresses()).extracting(EndpointAddress::getIp)
                .containsExactly("192.0.2.10");
        assertThat(slices("publish", "external")).isEmpty();
    }

    @Test
    void theApiServerKeepsTheDefaultKubernetesServiceAndItsEndpoints() {
        String port = String.valueOf(URI.create(client.getMasterUrl().toString()).getPort());
        Await.until(WAIT, "the kubernetes service and its endpoints", () ->
                cluster.kubectl("get", "endpoints", "kubernetes", "-n", "default").output().contains("127.0.0.1:" + port));
        assertThat(cluster.kubectl("get", "service", "kubernetes", "-n", "default").assertSuccess().output())
                .containsPattern("kubernetes\\s+ClusterIP\\s+10\\.96\\.0\\.1\\s+<none>\\s+443/TCP");
        var slice = client.discovery().v1().endpointSlices().inNamespace("default").withName("kubernetes").get();
        assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "kubernetes");
        assertThat(slice.getEndpoints().get(0).getAddresses()).containsExactly("127.0.0.1");
        assertThat(slice.getPorts().get(0).getPort()).isEqualTo(Integer.valueOf(port));

        // Deleted or changed, it comes back as it was (the bootstrap controller checks every 10 s).
        cluster.kubectl("patch", "endpoints", "kubernetes", "-n", "default", "--type=merge", "-p",
                "{\"subsets\":[{\"addresses\":[{\"ip\":\"10.9.9.9\"}],\"ports\":[{\"port\":1}]}]}").assertSuccess();
        Await.until(WAIT, "the kubernetes endpoints repaired", () ->
                cluster.kubectl("get", "endpoints", "kubernetes", "-n", "default").output().contains("127.0.0.1:" + port));
        cluster.kubectl("delete", "service", "kubernetes", "-n", "default").assertSuccess();
        Await.until(WAIT, "the kubernetes service recreated and its endpoints repaired", () -> {
            String service = cluster.kubectl("get", "service", "kubernetes", "-n", "default").output();
            String endpoints = cluster.kubectl("get", "endpoints", "kubernetes", "-n", "default").output();
            return service.contains("10.96.0.1") && endpoints.contains("127.0.0.1:" + port);
        });
    }

    @Test
    void deletedEndpointsAreRecreatedFromThePods() {
        namespace("recreate");
        service("recreate", "web", Map.of("app", "web"), false);
        pod("recreate", "web-1", "web", 8080, "node-a");
        status("recreate", "web-1", "10.4.0.1", true);
        Await.until(WAIT, "endpoints with the pod", () -> {
            Endpoints e = client.endpoints().inNamespace("recreate").withName("web").get();
            return e != null && e.getSubsets().size() == 1;
        });
        String deletedUid = client.endpoints().inNamespace("recreate").withName("web").get().getMetadata().getUid();

        cluster.kubectl("-n", "recreate", "delete", "endpoints", "web").assertSuccess();
        Endpoints again = Await.value(WAIT, "the Endpoints recreated (the resync is 10 minutes away)", () -> {
            Endpoints e = client.endpoints().inNamespace("recreate").withName("web").get();
            return e != null && !e.getMetadata().getUid().equals(deletedUid) && e.getSubsets().size() == 1 ? e : null;
        });
        assertThat(again.getSubsets().get(0).getAddresses()).extracting(EndpointAddress::getIp).containsExactly("10.4.0.1");
    }

    @Test
    void moreThanAHundredEndpointsAreSplitIntoSlicesUpdatedInPlace() {
        namespace("many");
        service("many", "big", Map.of("app", "big"), false);
        for (int i = 0; i < 230; i++) {
            pod("many", "big-" + i, "big", 8080, null);
            status("many", "big-" + i, "10.3." + (i / 200) + "." + (i % 200 + 1), true);
        }
        List<EndpointSlice> slices = Await.value(WAIT, "230 endpoints in slices", () -> {
            List<EndpointSlice> s = slices("many", "big");
            return s.stream().mapToInt(x -> x.getEndpoints().size()).sum() == 230 ? s : null;
        });
        assertThat(slices).hasSize(3);
        assertThat(slices).allSatisfy(s -> assertThat(s.getEndpoints().size()).isLessThanOrEqualTo(100));
        assertThat(slices.stream().flatMap(s -> s.getEndpoints().stream()).map(e -> e.getAddresses().get(0))
                .distinct().count()).isEqualTo(230);
        Set<String> names = names(slices);

        for (int i = 0; i < 5; i++) {
            client.pods().inNamespace("many").withName("big-" + i).delete();
        }
        pod("many", "big-new", "big", 8080, null);
        status("many", "big-new", "10.3.9.9", true);
        Await.until(WAIT, "226 endpoints", () -> slices("many", "big").stream()
                .mapToInt(x -> x.getEndpoints().size()).sum() == 226
                && endpoint(slices("many", "big"), "10.3.9.9") != null);
        assertThat(names(slices("many", "big"))).as("slices updated, not replaced").isEqualTo(names);

        // Upstream counts an address once per port: 226 addresses x 2 ports, 3 shown. The Endpoints
        // controller catches up separately from the slices awaited above, so wait for its count too.
        String endpointsTable = Await.value(WAIT, "kubectl get endpoints with 226 addresses", () -> {
            String out = cluster.kubectl("-n", "many", "get", "endpoints", "big").assertSuccess().output();
            return out.contains("+ 449 more...") ? out : null;
        });
        assertThat(endpointsTable).containsPattern("NAME\\s+ENDPOINTS\\s+AGE")
                .containsPattern("big\\s+10\\.3\\.\\d+\\.\\d+:8080,10\\.3\\.\\d+\\.\\d+:8080,10\\.3\\.\\d+\\.\\d+:8080 \\+ 449 more\\.\\.\\.");
        String slicesTable = cluster.kubectl("-n", "many", "get", "endpointslices").assertSuccess().output();
        assertThat(slicesTable).containsPattern("NAME\\s+ADDRESSTYPE\\s+PORTS\\s+ENDPOINTS\\s+AGE")
                .containsPattern("big-\\w+\\s+IPv4\\s+8080,9090\\s+10\\.3\\.\\d+\\.\\d+,10\\.3\\.\\d+\\.\\d+,"
                        + "10\\.3\\.\\d+\\.\\d+ \\+ \\d+ more\\.\\.\\.");
    }

    private static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    private static void service(String namespace, String name, Map<String, String> selector, boolean publishNotReady) {
        client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withSelector(selector).withPublishNotReadyAddresses(publishNotReady)
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .addNewPort().withName("metrics").withPort(9090).endPort()
                .endSpec().build()).create();
    }

    private static void pod(String namespace, String name, String app, int httpPort, String node) {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("app", app)).endMetadata().withNewSpec().withNodeName(node).addNewContainer()
                .withName("c").withImage("busybox").addNewPort().withName("http").withContainerPort(httpPort).endPort()
                .endContainer().endSpec().build()).create();
    }

    /** What a kubelet reports: Running with an IP, Ready or not. */
    private static void status(String namespace, String name, String ip, boolean ready) {
        client.pods().inNamespace(namespace).withName(name).editStatus(p -> new PodBuilder(p).editOrNewStatus()
                .withPhase("Running").withPodIP(ip).withHostIP("192.168.0.1")
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build())
                .endStatus().build());
    }

    private static List<EndpointSlice> slices(String namespace, String service) {
        return client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", service).list().getItems();
    }

    private static Endpoint endpoint(List<EndpointSlice> slices, String ip) {
        return slices.stream().flatMap(s -> s.getEndpoints().stream()).filter(e -> e.getAddresses().contains(ip))
                .findFirst().orElse(null);
    }

    private static EndpointSubset subsetWithPort(Endpoints endpoints, int port) {
        return endpoints.getSubsets().stream().filter(s -> s.getPorts().stream().anyMatch(p -> p.getPort() == port))
                .findFirst().orElseThrow();
    }

    private static Set<String> names(List<EndpointSlice> slices) {
        return slices.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
    }
}
