package dev.flotilla.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.network.Ipv4Cidr;
import dev.flotilla.testsupport.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CniConfigWriterTest {

    private static final Ipv4Cidr POOL = Ipv4Cidr.parse("10.244.0.0/16");

    @Test
    void oneRangePerBlockWithTheBlocksFirstAddressAsGateway() {
        CniConfigWriter writer = new CniConfigWriter(Path.of("/etc/cni/net.d"), Path.of("/var/lib/agent/cni"), "flotilla");
        ObjectNode config = writer.render(List.of(block("10.244.3.64/26"), block("10.244.0.0/26")));
        assertThat(config.path("cniVersion").asText()).isEqualTo("1.0.0");
        JsonNode ptp = config.path("plugins").get(0);
        assertThat(ptp.path("type").asText()).isEqualTo("ptp");
        assertThat(ptp.has("ipMasq")).as("the agent masquerades for the node, not ptp per pod").isFalse();
        assertThat(ptp.path("ipam").path("dataDir").asText()).isEqualTo("/var/lib/agent/cni");
        JsonNode ranges = ptp.path("ipam").path("ranges");
        assertThat(ranges).hasSize(1);
        assertThat(ranges.get(0).get(0).toString()).isEqualTo("{\"subnet\":\"10.244.0.0/16\",\"rangeStart\":"
                + "\"10.244.3.65\",\"rangeEnd\":\"10.244.3.126\",\"gateway\":\"10.244.3.64\"}");
        assertThat(ranges.get(0).get(1).path("gateway").asText()).isEqualTo("10.244.0.0");
        assertThat(config.path("plugins").get(1).path("capabilities").path("portMappings").asBoolean()).isTrue();
        assertThatThrownBy(() -> writer.render(List.of())).hasMessageContaining("no IPAM block");
    }

    @Test
    void writesAtomicallyAndOnlyWhenTheContentChanges() throws Exception {
        Path dir = TempDirs.create("cni-conf");
        try {
            CniConfigWriter writer = new CniConfigWriter(dir.resolve("net.d"), dir.resolve("ipam"), "flotilla");
            assertThat(writer.write(List.of(block("10.244.1.0/26")))).isTrue();
            assertThat(writer.write(List.of(block("10.244.1.0/26")))).isFalse();
            assertThat(writer.write(List.of(block("10.244.1.128/26")))).isTrue();
            try (var files = Files.list(dir.resolve("net.d"))) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly(CniConfigWriter.FILE_NAME);
            }
            assertThat(Json.mapper().readTree(writer.file().toFile()).path("plugins").get(0).path("ipam").path("ranges")
                    .get(0).get(0).path("gateway").asText()).isEqualTo("10.244.1.128");
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    @Test
    void pluginsGetTheListsNameVersionPreviousResultAndOnlyTheirCapabilities() {
        JsonNode list = new CniConfigWriter(Path.of("/c"), Path.of("/d"), "flotilla")
                .render(List.of(block("10.244.1.0/26")));
        CniRuntime runtime = new CniRuntime("c1", Path.of("/var/run/netns/x"), "eth0",
                Map.of("portMappings", List.of(Map.of("hostPort", 8080, "containerPort", 80)), "bandwidth", Map.of()));
        ObjectNode ptp = CniPlugins.pluginConfig(list, list.path("plugins").get(0), runtime, null);
        assertThat(ptp.path("name").asText()).isEqualTo("flotilla");
        assertThat(ptp.has("runtimeConfig")).isFalse();
        assertThat(ptp.has("prevResult")).isFalse();
        JsonNode previous = Json.mapper().createObjectNode().put("cniVersion", "1.0.0");
        ObjectNode portmap = CniPlugins.pluginConfig(list, list.path("plugins").get(1), runtime, previous);
        assertThat(portmap.path("cniVersion").asText()).isEqualTo("1.0.0");
        assertThat(portmap.path("prevResult")).isEqualTo(previous);
        assertThat(portmap.path("runtimeConfig").path("portMappings").get(0).path("hostPort").asInt()).isEqualTo(8080);
        assertThat(portmap.path("runtimeConfig").has("bandwidth")).isFalse();
    }

    private static NodeBlock block(String cidr) {
        Ipv4Cidr block = Ipv4Cidr.parse(cidr);
        return new NodeBlock(block.toString(), block, "default-ipv4-ippool", POOL);
    }
}
