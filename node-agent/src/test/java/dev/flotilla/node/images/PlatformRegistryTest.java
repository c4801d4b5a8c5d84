package dev.flotilla.node.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformRegistryTest {

    @Test
    void mirrorsIntoThePlatformRegistryWithoutAPublicFallback(@TempDir Path dir) throws Exception {
        PlatformRegistry registry = new PlatformRegistry("127.0.0.1:5000", List.of("docker.io", "registry.k8s.io"));
        registry.writeHostsFiles(dir);
        String docker = Files.readString(dir.resolve("docker.io/hosts.toml"));
        assertTrue(docker.contains("server = \"http://127.0.0.1:5000/v2/docker.io\""), docker);
        assertTrue(docker.contains("[host.\"http://127.0.0.1:5000/v2/docker.io\"]"), docker);
        assertTrue(docker.contains("override_path = true"), docker);
        assertTrue(Files.readString(dir.resolve("registry.k8s.io/hosts.toml")).contains("/v2/registry.k8s.io"));
        String own = Files.readString(dir.resolve("127.0.0.1:5000/hosts.toml"));
        assertTrue(own.startsWith("server = \"http://127.0.0.1:5000\""), own);
        assertEquals(3, Files.list(dir).count());
    }

    @Test
    void refusesAnAddressThatIsNoHostAndPort() {
        assertThrows(IllegalArgumentException.class, () -> new PlatformRegistry("http://x:5000", List.of()));
    }
}
