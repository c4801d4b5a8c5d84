package dev.flotilla.node.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    @Test
    void normalizesAsDocker() {
        assertEquals("docker.io/library/busybox:latest", ImageReference.parse("busybox").toString());
        assertEquals("docker.io/library/busybox:1.36", ImageReference.parse("busybox:1.36").toString());
        assertEquals("docker.io/bitnami/redis:7", ImageReference.parse("bitnami/redis:7").toString());
        assertEquals("docker.io/library/nginx:latest", ImageReference.parse("index.docker.io/library/nginx").toString());
        assertEquals("registry.k8s.io/pause:3.9", ImageReference.parse("registry.k8s.io/pause:3.9").toString());
        assertEquals("127.0.0.1:5000/flotilla/echo:latest", ImageReference.parse("127.0.0.1:5000/flotilla/echo").toString());
        assertEquals("localhost/flotilla/pause:1.0", ImageReference.parse("localhost/flotilla/pause:1.0").toString());
        String digest = "sha256:" + "a".repeat(64);
        assertEquals("docker.io/library/busybox@" + digest, ImageReference.parse("busybox@" + digest).toString());
    }

    @Test
    void refusesWhatNoRegistryAccepts() {
        for (String bad : new String[] {"", "Busybox", "busybox:", "a b", "busybox:bad/tag", "busybox@sha256:short"}) {
            assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(bad), bad);
        }
    }

    @Test
    void mapsToPlatformRegistryRepositories() {
        String platform = "127.0.0.1:5000";
        assertEquals("docker.io/library/busybox", ImageReference.parse("busybox:1.36").repositoryIn(platform));
        assertEquals("flotilla/echo", ImageReference.parse("127.0.0.1:5000/flotilla/echo").repositoryIn(platform));
        assertEquals("127.0.0.1:5000/registry.k8s.io/pause:3.9",
                ImageReference.parse("registry.k8s.io/pause:3.9").inRegistry(platform));
        assertEquals("docker.io/library/busybox:1.36",
                ImageReference.fromRepository(platform, "docker.io/library/busybox", "1.36").toString());
        assertEquals("127.0.0.1:5000/flotilla/echo:latest",
                ImageReference.fromRepository(platform, "flotilla/echo", "latest").toString());
    }
}
