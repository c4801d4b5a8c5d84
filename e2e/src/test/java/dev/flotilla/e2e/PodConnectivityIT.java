package dev.flotilla.e2e;

import static dev.flotilla.e2e.NodeAgentCluster.busyboxPod;
import static dev.flotilla.e2e.NodeAgentCluster.inPhase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.network.Ipv4;
import dev.flotilla.node.network.NodeBlock;
import dev.flotilla.node.runtime.Mounts;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pod networking on one host with the real agent, containerd and CNI plugins: each pod has its own
 * address from the node's block with a /32 route on the node, pods reach each other and the node, the
 * node reaches them, and once the pods are deleted nothing of them is left: no veth, network
 * namespace, mount, cgroup, route or address.
 */
class PodConnectivityIT {

    private static NodeAgentCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start("net-node");
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster);
    }

    @Test
    void podsReachEachOtherAndTheNodeAndLeaveNothingBehind() throws Exception {
        cluster.create(busyboxPod("web", "Always",
                "mkdir -p /www && echo hello from web > /www/index.html && exec httpd -f -p 8080 -h /www"));
        Pod web = cluster.awaitPod("web", p -> "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null);
        String webIp = web.getStatus().getPodIP();
        NodeBlock block = cluster.agent().podNetwork().blocks().stream()
                .filter(b -> b.cidr().contains(Ipv4.parse(webIp))).findFirst().orElseThrow();
        String gateway = Ipv4.format(block.gateway());

        // The node reaches the pod over its /32 route.
        String hostVeth = routeDevice(webIp);
        assertThat(hostVeth).startsWith("veth");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = Await.value(Duration.ofSeconds(30), "web answering on " + webIp, () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://" + webIp + ":8080/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException notYet) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        assertThat(body).isEqualTo("hello from web\n");

        // Another pod reaches it by its address, and reaches the node at its gateway address.
        cluster.create(busyboxPod("client", "Never", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc " + webIp
                + " 8080 | tail -n 1; ping -c 1 -W 5 " + gateway + " >/dev/null && echo node reachable"));
        Pod client = cluster.awaitPod("client", inPhase("Succeeded"));
        assertThat(client.getStatus().getPodIP()).isNotEqualTo(webIp);
        assertThat(cluster.inNodeBlocks(client.getStatus().getPodIP())).isTrue();
        assertThat(cluster.kubectl("logs", "client").assertSuccess().output())
                .isEqualTo("hello from web\nnode reachable\n");

        List<String> sandboxIds = new ArrayList<>();
        for (String name : List.of("web", "client")) {
            String uid = cluster.client().pods().inNamespace(NodeAgentCluster.NAMESPACE).withName(name).get()
                    .getMetadata().getUid();
            cluster.agent().cri().listPodSandboxes(NodeAgentCluster.sandboxesOf(uid)).forEach(s -> sandboxIds.add(s.getId()));
        }
        assertThat(sandboxIds).hasSize(2);
        // A finished pod's sandbox is stopped, which releases its address at once; a running one keeps its own.
        Await.until(Duration.ofSeconds(30), "finished pod's address released",
                () -> !addressesInUse().contains(client.getStatus().getPodIP()));
        assertThat(addressesInUse()).contains(webIp);

        cluster.kubectl("delete", "pod", "web", "client", "--grace-period=1", "--wait=true", "--timeout=60s")
                .assertSuccess();
        Await.until(Duration.ofSeconds(30), "sandboxes removed",
                () -> cluster.agent().cri().listPodSandboxes().stream().noneMatch(s -> sandboxIds.contains(s.getId())));
        assertThat(links()).as("the pod's host-side veth").doesNotContain(hostVeth);
        assertThat(Command.run(Duration.ofSeconds(10), List.of("ip", "-4", "route", "show", webIp)).output())
                .as("route to the deleted pod").isBlank();
        assertThat(addressesInUse()).as("addresses still held by host-local")
                .doesNotContain(webIp, client.getStatus().getPodIP());
        assertThat(Mounts.under(cluster.stateDir())).as("mounts (rootfs, shm, netns) of the deleted pods")
                .noneMatch(m -> sandboxIds.stream().anyMatch(id -> m.toString().contains(id)));
        for (String id : sandboxIds) {
            assertThat(Path.of("/sys/fs/cgroup/memory/k8s.io", id)).as("memory cgroup of sandbox " + id).doesNotExist();
            assertThat(Path.of("/sys/fs/cgroup/cpu,cpuacct/k8s.io", id)).as("cpu cgroup of sandbox " + id).doesNotExist();
        }
    }

    /** The interface the node's route to {@code ip} goes through ({@code ip route get}). */
    private static String routeDevice(String ip) {
        String route = Command.run(Duration.ofSeconds(10), List.of("ip", "-4", "route", "get", ip)).assertSuccess().output();
        String[] words = route.trim().split("\\s+");
        for (int i = 0; i < words.length - 1; i++) {
            if (words[i].equals("dev")) {
                return words[i + 1];
            }
        }
        throw new AssertionError("no device in: " + route);
    }

    private static List<String> links() {
        return Command.run(Duration.ofSeconds(10), List.of("ip", "-o", "link", "show")).assertSuccess().output().lines()
                .map(line -> line.split(":\\s+")[1].split("@")[0]).toList();
    }

    /** The addresses host-local has handed out on this node (one file per address). */
    private static List<String> addressesInUse() {
        Path dir = cluster.stateDir().resolve("cni/ipam/flotilla");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
