package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.api.network.Ipv4Cidr;
import dev.flotilla.api.network.PodNetworkApi;
import dev.flotilla.node.network.CniConfigWriter;
import dev.flotilla.node.network.NodeBlock;
import dev.flotilla.node.network.NodeBlocks;
import dev.flotilla.node.network.PodMasquerade;
import dev.flotilla.node.network.PodNetwork;
import dev.flotilla.node.network.PoolExhaustedException;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.TempDirs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * IPAM blocks claimed by nodes through the real API server: the pod-network API installed at start
 * with the configured default pool, concurrent claims by nodes with their own (system:nodes)
 * certificates never sharing a block, a clear error once the pool is used up, blocks of a deleted
 * Node released by the controller manager, the node's CNI configuration, and kubectl's view.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodNetworkIT {

    /** Eight /26 blocks. */
    private static final String POOL = "10.250.0.0/23";
    private static final int NODES = 8;
    private static final ResourceDefinitionContext BLOCKS = new ResourceDefinitionContext.Builder()
            .withGroup(PodNetworkApi.GROUP).withVersion(PodNetworkApi.VERSION).withKind(PodNetworkApi.BLOCK_KIND)
            .withPlural(PodNetworkApi.BLOCKS).withNamespaced(false).build();
    private static ControlPlane cluster;
    private static KubernetesClient admin;
    private static final List<KubernetesClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start("--flotilla.network.pod-cidr=" + POOL);
        admin = cluster.fabric8Client(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        clients.forEach(KubernetesClient::close);
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** First: it counts on the default pool being untouched, and leaves it full for the others. */
    @Test
    @Order(1)
    void nodesClaimDistinctBlocksUntilThePoolIsUsedUpAndGetADeletedNodesBlockBack() throws Exception {
        assertThat(kubectl("get", "ippools").output())
                .containsPattern("NAME +CIDR +BLOCK SIZE +NAT +AGE")
                .containsPattern(PodNetworkApi.DEFAULT_POOL + " +" + POOL.replace(".", "\\.") + " +26 +true");

        List<String> names = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            names.add("claim-node-" + i);
            createNode(names.get(i));
        }
        List<NodeBlocks> nodes = names.stream().map(name -> new NodeBlocks(nodeClient(name), name)).toList();

        // All at once: every claim races the others for the same eight blocks.
        ExecutorService threads = Executors.newFixedThreadPool(NODES);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<NodeBlock>> claims = new ArrayList<>();
        for (NodeBlocks node : nodes) {
            claims.add(threads.submit(() -> {
                go.await();
                return node.claim();
            }));
        }
        go.countDown();
        Set<Ipv4Cidr> claimed = new HashSet<>();
        for (Future<NodeBlock> claim : claims) {
            NodeBlock block = claim.get();
            assertThat(Ipv4Cidr.parse(POOL).contains(block.cidr())).isTrue();
            assertThat(block.cidr().prefixLength()).isEqualTo(26);
            claimed.add(block.cidr());
        }
        threads.shutdown();
        assertThat(claimed).hasSize(NODES);
        for (int i = 0; i < NODES; i++) {
            assertThat(nodes.get(i).owned()).hasSize(1);
        }

        // A ninth node finds nothing left, and is told why.
        createNode("late-node");
        NodeBlocks late = new NodeBlocks(nodeClient("late-node"), "late-node");
        assertThatThrownBy(late::claim).isInstanceOf(PoolExhaustedException.class)
                .hasMessage("no free IPAM block for node late-node: every block of " + PodNetworkApi.DEFAULT_POOL
                        + " (" + POOL + ", /26 blocks) is claimed; add an IPPool or delete unused nodes");

        String listing = kubectl("get", "ipamblocks").output();
        assertThat(listing).containsPattern("NAME +CIDR +NODE +POOL +AGE");
        NodeBlock first = nodes.get(0).owned().get(0);
        assertThat(listing).containsPattern(first.name() + " +" + first.cidr().toString().replace(".", "\\.")
                + " +claim-node-0 +" + PodNetworkApi.DEFAULT_POOL);
        assertThat(first.name()).isEqualTo(PodNetworkApi.blockName(first.cidr()));

        // Deleting the Node gives its block back to the pool; the late node then gets exactly that block.
        admin.nodes().withName("claim-node-0").delete();
        Await.until(Duration.ofSeconds(60), "block of the deleted node released",
                () -> admin.genericKubernetesResources(BLOCKS).withName(first.name()).get() == null);
        assertThat(late.claim().cidr()).isEqualTo(first.cidr());
        assertThat(nodes.get(1).owned()).hasSize(1);
    }

    @Test
    void nodesMayClaimButNotDeleteBlocksAndBadObjectsAreRejected() throws Exception {
        createNode("rbac-node");
        KubernetesClient node = nodeClient("rbac-node");
        assertThat(node.genericKubernetesResources(BLOCKS).list().getItems()).isNotNull();
        assertThatThrownBy(() -> node.genericKubernetesResources(BLOCKS).withName("10-250-0-0-26").delete())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        // Nor claim a block in another node's name.
        GenericKubernetesResource forOther = new GenericKubernetesResourceBuilder()
                .withApiVersion(PodNetworkApi.API_VERSION).withKind(PodNetworkApi.BLOCK_KIND)
                .withNewMetadata().withName("10-250-1-192-26").endMetadata()
                .addToAdditionalProperties("spec", java.util.Map.of("cidr", "10.250.1.192/26", "node", "other-node",
                        "pool", PodNetworkApi.DEFAULT_POOL))
                .build();
        assertThatThrownBy(() -> node.genericKubernetesResources(BLOCKS).resource(forOther).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).isEqualTo("ipamblocks.networking.flotilla.dev "
                            + "\"10-250-1-192-26\" is forbidden: node \"rbac-node\" may only claim blocks for itself, "
                            + "not for node \"other-node\"");
                });

        Path bad = Files.writeString(cluster.workDir().resolve("bad-pool.yaml"), """
                apiVersion: networking.flotilla.dev/v1
                kind: IPPool
                metadata:
                  name: bad
                spec:
                  cidr: not-a-cidr
                  blockSize: 40
                """);
        Command.Result result = cluster.kubectl("apply", "-f", bad.toString());
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("The IPPool \"bad\" is invalid")
                .contains("spec.blockSize: Invalid value: 40: spec.blockSize in body should be less than or equal to 30")
                .contains("spec.cidr: Invalid value: \"not-a-cidr\": spec.cidr in body should match");

        // One range, one name: a block named otherwise, or not one of its pool's blocks, is refused.
        Path blocks = Files.writeString(cluster.workDir().resolve("bad-blocks.yaml"), """
                apiVersion: networking.flotilla.dev/v1
                kind: IPAMBlock
                metadata:
                  name: my-block
                spec: {cidr: 10.250.1.0/26, node: rbac-node, pool: default-ipv4-ippool}
                ---
                apiVersion: networking.flotilla.dev/v1
                kind: IPAMBlock
                metadata:
                  name: 10-250-0-0-25
                spec: {cidr: 10.250.0.0/25, node: rbac-node, pool: default-ipv4-ippool}
                ---
                apiVersion: networking.flotilla.dev/v1
                kind: IPAMBlock
                metadata:
                  name: 10-9-0-0-26
                spec: {cidr: 10.9.0.0/26, node: rbac-node, pool: no-such-pool}
                """);
        Command.Result refused = cluster.kubectl("create", "-f", blocks.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output())
                .contains("IPAMBlock.networking.flotilla.dev \"my-block\" is invalid: metadata.name: Invalid value: \"my-block\": must be "
                        + "10-250-1-0-26, the block's CIDR with '.' and '/' written as '-'")
                .contains("IPAMBlock.networking.flotilla.dev \"10-250-0-0-25\" is invalid: spec.cidr: Invalid value: \"10.250.0.0/25\": "
                        + "must be a /26 block of IPPool default-ipv4-ippool (" + POOL + ")")
                .contains("IPAMBlock.networking.flotilla.dev \"10-9-0-0-26\" is invalid: spec.pool: Not found: \"no-such-pool\"");

        // A claimed block never changes hands by update.
        String owned = Await.value(Duration.ofSeconds(30), "a claimed block",
                () -> admin.genericKubernetesResources(BLOCKS).list().getItems().stream()
                        .map(b -> b.getMetadata().getName()).findFirst().orElse(null));
        Command.Result moved = cluster.kubectl("patch", "ipamblock", owned, "--type=merge",
                "-p", "{\"spec\":{\"node\":\"thief\"}}");
        assertThat(moved.exitCode()).isNotZero();
        assertThat(moved.output()).contains("spec.node: Invalid value: \"thief\": field is immutable");
    }

    @Test
    void aNodeWritesItsCniConfigurationForItsBlocks() throws Exception {
        // A second pool, so this test does not depend on what the claim test leaves of the default one.
        Path pool = Files.writeString(cluster.workDir().resolve("pool.yaml"), """
                apiVersion: networking.flotilla.dev/v1
                kind: IPPool
                metadata:
                  name: zz-config-pool
                spec:
                  cidr: 10.251.0.0/24
                  blockSize: 28
                """);
        kubectl("apply", "-f", pool.toString());
        createNode("config-node");
        Path dir = TempDirs.create("podnet-e2e");
        try {
            CniConfigWriter writer = new CniConfigWriter(dir.resolve("net.d"), dir.resolve("ipam"), "flotilla");
            PodMasquerade masquerade = new PodMasquerade(dir);
            PodNetwork network = new PodNetwork(new NodeBlocks(nodeClient("config-node"), "config-node"), writer,
                    masquerade, 4);
            List<NodeBlock> blocks = network.start();
            assertThat(blocks).hasSize(1);
            // The node's one masquerade: from the natOutgoing pool the node has a block in, leaving every pool.
            assertThat(masquerade.rules()).contains("-s " + blocks.get(0).poolCidr() + " -j MASQUERADE")
                    .contains("-d 10.251.0.0/24 -j RETURN");
            JsonNode config = new ObjectMapper().readTree(writer.file().toFile());
            assertThat(config.path("plugins").get(0).path("type").asText()).isEqualTo("ptp");
            JsonNode range = config.path("plugins").get(0).path("ipam").path("ranges").get(0).get(0);
            NodeBlock block = blocks.get(0);
            assertThat(range.path("subnet").asText()).isEqualTo(block.poolCidr().toString());
            assertThat(range.path("gateway").asText()).isEqualTo(block.cidr().toString().split("/")[0]);
            assertThat(config.path("plugins").get(1).path("type").asText()).isEqualTo("portmap");

            // Addresses in use (host-local's files) eat into the headroom: the node claims a second block.
            long free = network.freeAddresses();
            assertThat(network.ensureCapacity()).isFalse();
            Path inUse = writer.addressesInUse();
            Files.createDirectories(inUse);
            for (long i = 0; i < free - 3; i++) {
                Files.writeString(inUse.resolve(dev.flotilla.api.network.Ipv4.format(block.firstPodAddress() + i)),
                        "container");
            }
            assertThat(network.ensureCapacity()).isTrue();
            assertThat(network.blocks()).hasSize(2);
            JsonNode rewritten = new ObjectMapper().readTree(writer.file().toFile());
            assertThat(rewritten.path("plugins").get(0).path("ipam").path("ranges").get(0)).hasSize(2);
            // After a restart the agent finds the same two blocks rather than claiming more.
            assertThat(new NodeBlocks(nodeClient("config-node"), "config-node").ensureOne())
                    .extracting(NodeBlock::cidr).containsExactlyElementsOf(
                            network.blocks().stream().map(NodeBlock::cidr).toList());
            network.stop();
            assertThat(masquerade.rules()).as("kept while addresses are in use").isNotEmpty();
        } finally {
            new PodMasquerade(dir).remove();
            TempDirs.deleteRecursively(dir);
        }
    }

    private static void createNode(String name) {
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    /** A client with the node's own certificate: user system:node:NAME in group system:nodes. */
    private static KubernetesClient nodeClient(String name) {
        try {
            Path kubeconfig = cluster.kubeconfigFor("system:node:" + name, "system:nodes");
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            config.setRequestTimeout(60_000);
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
            synchronized (clients) {
                clients.add(client);
            }
            return client;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Command.Result kubectl(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }
}
