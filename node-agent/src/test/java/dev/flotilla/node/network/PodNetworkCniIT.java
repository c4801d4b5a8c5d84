package dev.flotilla.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.network.Ipv4;
import dev.flotilla.api.network.Ipv4Cidr;
import dev.flotilla.testsupport.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated CNI configuration run by the real plugins (ptp, host-local, portmap from
 * containernetworking-plugins) through {@link CniPlugins}, against real network namespaces standing
 * in for pods: addresses, host routes, reachability, concurrency and that nothing is left behind.
 * Each test uses its own random pool and network name, so parallel runs on one host do not meet.
 */
class PodNetworkCniIT {

    private static final Path PLUGINS = Path.of("/usr/lib/cni");

    private final String network = "flt-test-" + UUID.randomUUID().toString().substring(0, 8);
    private NetworkNamespaces namespaces;
    private Path stateDir;
    private CniConfigWriter writer;
    private CniPlugins cni;
    private final List<Pod> added = new ArrayList<>();

    /** A namespace attached to the network, with the host-side veth the ADD created. */
    private record Pod(String namespace, CniRuntime runtime, String address, String hostVeth) {
        String ip() {
            return address.substring(0, address.indexOf('/'));
        }
    }

    @BeforeEach
    void setUp() {
        assumeTrue(NetworkNamespaces.available(PLUGINS),
                "needs root and containernetworking-plugins in " + PLUGINS + " (apt-get install containernetworking-plugins)");
        namespaces = new NetworkNamespaces();
        stateDir = TempDirs.create("podnet");
        writer = new CniConfigWriter(stateDir.resolve("net.d"), stateDir.resolve("cni-ipam"), network);
        cni = new CniPlugins(List.of(PLUGINS), Duration.ofSeconds(60));
    }

    @AfterEach
    void tearDown() {
        if (namespaces == null) {
            return;
        }
        for (Pod pod : added) {
            try {
                cni.delete(config(), pod.runtime(), null);
            } catch (RuntimeException ignored) {
                // best effort: the namespace goes next anyway
            }
        }
        namespaces.close();
        TempDirs.deleteRecursively(stateDir);
    }

    @Test
    void podsGetAHostRouteEachAndReachEachOtherAndTheNode() throws Exception {
        Ipv4Cidr pool = randomPool(24);
        NodeBlock block = block(pool, 26, 1);
        writer.write(List.of(block));

        Pod a = add();
        Pod b = add();

        for (Pod pod : List.of(a, b)) {
            long ip = Ipv4.parse(pod.ip());
            assertThat(ip).isBetween(block.firstPodAddress(), block.lastPodAddress());
            // The pool's mask: every pool address goes through the node, nothing is on-link.
            assertThat(pod.address()).endsWith("/" + pool.prefixLength());
            assertThat(hostRoute(pod)).contains("dev " + pod.hostVeth()).contains("scope host");
            assertThat(namespaces.exec(pod.namespace(), "ip", "-4", "route", "show").output())
                    .contains("default via " + Ipv4.format(block.gateway()))
                    .contains(pool + " via " + Ipv4.format(block.gateway()));
            assertThat(NetworkNamespaces.run("ip", "-4", "addr", "show", "dev", pod.hostVeth()).output())
                    .contains(Ipv4.format(block.gateway()) + "/32");
        }
        assertThat(a.ip()).isNotEqualTo(b.ip());
        assertThat(namespaces.ping(a.namespace(), b.ip())).as("pod a -> pod b").isTrue();
        assertThat(namespaces.ping(b.namespace(), a.ip())).as("pod b -> pod a").isTrue();
        assertThat(namespaces.ping(a.namespace(), Ipv4.format(block.gateway()))).as("pod -> node").isTrue();
        assertThat(namespaces.ping(null, a.ip())).as("node -> pod").isTrue();
        // No plugin wrote a rule for these pods: the node's one masquerade chain does it for the pool.
        assertThat(natRules()).doesNotContain("\"" + network + "\"");
        PodMasquerade masquerade = new PodMasquerade(stateDir);
        try {
            masquerade.apply(List.of(pool), List.of(pool));
            assertThat(masquerade.rules()).contains("-d " + pool + " -j RETURN").contains("-s " + pool + " -j MASQUERADE");
            assertThat(natRules()).contains("-A POSTROUTING -m comment --comment \"flotilla pod masquerade\" -j "
                    + masquerade.chain());
            assertThat(namespaces.ping(a.namespace(), b.ip())).as("pod a -> pod b, not masqueraded").isTrue();
        } finally {
            masquerade.remove();
        }
        assertThat(masquerade.rules()).isEmpty();
        assertThat(natRules()).doesNotContain(masquerade.chain());

        delete(a);
        assertThat(hostRoute(a)).isEmpty();
        assertThat(linkExists(a.hostVeth())).isFalse();
        assertThat(addressesInUse()).containsExactly(b.ip());
        assertThat(namespaces.ping(b.namespace(), Ipv4.format(block.gateway()))).as("b unaffected").isTrue();
        // A second DEL of the same pod, as a runtime retrying after a crash does, succeeds.
        cni.delete(config(), a.runtime(), null);

        delete(b);
        assertNothingLeft(List.of(a, b));
    }

    @Test
    void concurrentAddsNeverHandOutOneAddressTwice() throws Exception {
        Ipv4Cidr pool = randomPool(24);
        writer.write(List.of(block(pool, 26, 2)));
        int pods = 12;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            names.add(namespaces.create());
        }
        ExecutorService threads = Executors.newFixedThreadPool(pods);
        try {
            List<Future<Pod>> results = new ArrayList<>();
            for (String name : names) {
                results.add(threads.submit(() -> attach(name)));
            }
            for (Future<Pod> result : results) {
                Pod pod = result.get();
                synchronized (added) {
                    added.add(pod);
                }
            }
        } finally {
            threads.shutdown();
        }
        Set<String> addresses = new HashSet<>();
        added.forEach(pod -> addresses.add(pod.ip()));
        assertThat(addresses).hasSize(pods);
        assertThat(addressesInUse()).containsExactlyInAnyOrderElementsOf(addresses);
        assertThat(namespaces.ping(added.get(0).namespace(), added.get(pods - 1).ip())).isTrue();

        List<Pod> all = List.copyOf(added);
        for (Pod pod : all) {
            delete(pod);
        }
        assertNothingLeft(all);
    }

    @Test
    void aSecondBlockServesPodsOnceTheFirstIsFull() throws Exception {
        // /30 blocks: the node's gateway address, two pod addresses, one kept back.
        Ipv4Cidr pool = randomPool(28);
        NodeBlock first = block(pool, 30, 0);
        NodeBlock second = block(pool, 30, 2);
        writer.write(List.of(first));
        Pod a = add();
        Pod b = add();
        String third = namespaces.create();
        assertThatThrownBy(() -> attach(third)).isInstanceOf(CniException.class)
                .hasMessageContaining("no IP addresses available");

        assertThat(writer.write(List.of(first, second))).isTrue();
        assertThat(writer.write(List.of(first, second))).as("unchanged content is not rewritten").isFalse();
        Pod c = attach(third);
        added.add(c);
        assertThat(Ipv4.parse(c.ip())).isBetween(second.firstPodAddress(), second.lastPodAddress());
        assertThat(namespaces.ping(c.namespace(), a.ip())).as("pod in block 2 -> pod in block 1").isTrue();
        assertThat(namespaces.ping(c.namespace(), Ipv4.format(first.gateway()))).isTrue();

        for (Pod pod : List.of(a, b, c)) {
            delete(pod);
        }
        assertNothingLeft(List.of(a, b, c));
    }

    @Test
    void aHostPortReachesThePodThroughTheNode() throws Exception {
        NodeBlock block = block(randomPool(24), 26, 3);
        writer.write(List.of(block));
        int hostPort = 20000 + ThreadLocalRandom.current().nextInt(20000);
        String namespace = namespaces.create();
        CniRuntime runtime = new CniRuntime("c-" + namespace, NetworkNamespaces.path(namespace), "eth0",
                Map.of("portMappings", List.of(Map.of("hostPort", hostPort, "containerPort", 8080, "protocol", "tcp"))));
        JsonNode result = cni.add(config(), runtime);
        String ip = CniPlugins.addresses(result).get(0).split("/")[0];
        Pod pod = new Pod(namespace, runtime, CniPlugins.addresses(result).get(0), hostVeth(result));
        added.add(pod);

        Path site = Files.createDirectories(stateDir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "served by the pod\n");
        Process server = new ProcessBuilder("ip", "netns", "exec", namespace, "busybox", "httpd", "-f", "-p", "8080",
                "-h", site.toString()).redirectErrorStream(true).start();
        try {
            String url = "http://" + Ipv4.format(block.gateway()) + ":" + hostPort + "/index.html";
            String body = dev.flotilla.testsupport.Await.value(Duration.ofSeconds(30), "the pod's server through " + url,
                    () -> {
                        var curl = NetworkNamespaces.run("curl", "-sf", "--max-time", "3", url);
                        return curl.exitCode() == 0 ? curl.output() : null;
                    });
            assertThat(body).isEqualTo("served by the pod\n");
            assertThat(natRules()).contains("--dport " + hostPort).contains(ip + ":8080");
        } finally {
            server.destroyForcibly().waitFor();
        }
        delete(pod);
        assertThat(natRules()).doesNotContain("--dport " + hostPort);
        assertNothingLeft(List.of(pod));
    }

    @Test
    void aMissingPluginIsAClearError() {
        writer.write(List.of(block(randomPool(24), 26, 0)));
        CniPlugins nowhere = new CniPlugins(List.of(stateDir), Duration.ofSeconds(10));
        String name = namespaces.create();
        assertThatThrownBy(() -> nowhere.add(config(), new CniRuntime("c-missing", NetworkNamespaces.path(name), "eth0")))
                .isInstanceOf(CniException.class).hasMessageContaining("plugin \"ptp\" not found in " + stateDir);
    }

    private Pod add() throws Exception {
        Pod pod = attach(namespaces.create());
        added.add(pod);
        return pod;
    }

    private Pod attach(String namespace) throws Exception {
        CniRuntime runtime = new CniRuntime("c-" + namespace, NetworkNamespaces.path(namespace), "eth0");
        JsonNode result = cni.add(config(), runtime);
        List<String> addresses = CniPlugins.addresses(result);
        assertThat(addresses).hasSize(1);
        return new Pod(namespace, runtime, addresses.get(0), hostVeth(result));
    }

    private static String hostVeth(JsonNode result) {
        for (JsonNode iface : result.path("interfaces")) {
            if (!iface.has("sandbox")) {
                return iface.path("name").asText();
            }
        }
        throw new AssertionError("no host-side veth in " + result);
    }

    private void delete(Pod pod) {
        cni.delete(config(), pod.runtime(), null);
        added.remove(pod);
    }

    private JsonNode config() {
        try {
            return dev.flotilla.api.json.Json.mapper().readTree(writer.file().toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertNothingLeft(List<Pod> pods) throws Exception {
        for (Pod pod : pods) {
            assertThat(linkExists(pod.hostVeth())).as("veth %s", pod.hostVeth()).isFalse();
            assertThat(hostRoute(pod)).as("route to %s", pod.ip()).isEmpty();
        }
        assertThat(addressesInUse()).isEmpty();
        assertThat(natRules()).as("masquerade rules of " + network).doesNotContain("\"" + network + "\"");
        List<String> mine = namespaces.names();
        namespaces.close();
        assertThat(NetworkNamespaces.existing()).doesNotContainAnyElementsOf(mine);
    }

    private static String hostRoute(Pod pod) {
        return NetworkNamespaces.run("ip", "-4", "route", "show", "exact", pod.ip() + "/32").output().trim();
    }

    private static boolean linkExists(String name) {
        return NetworkNamespaces.run("ip", "link", "show", "dev", name).exitCode() == 0;
    }

    private static String natRules() {
        return NetworkNamespaces.run("iptables", "-t", "nat", "-S").output();
    }

    private List<String> addressesInUse() throws Exception {
        Path dir = writer.addressesInUse();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9.]+")).toList();
        }
    }

    /** A random pool in 10.200.0.0-10.239.255.255, away from the defaults (10.244/16, 10.96/12). */
    private static Ipv4Cidr randomPool(int prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long base = Ipv4.parse("10." + (200 + random.nextInt(40)) + "." + random.nextInt(256) + ".0");
        return new Ipv4Cidr(base & (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL, prefix);
    }

    private static NodeBlock block(Ipv4Cidr pool, int size, long index) {
        Ipv4Cidr cidr = pool.block(size, index);
        return new NodeBlock(dev.flotilla.api.network.PodNetworkApi.blockName(cidr), cidr, "test-pool", pool);
    }
}
