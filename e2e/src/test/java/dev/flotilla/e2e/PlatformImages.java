package dev.flotilla.e2e;

import dev.flotilla.node.images.BaseImages;
import dev.flotilla.node.images.PlatformRegistry;
import dev.flotilla.node.images.RegistryClient;
import dev.flotilla.testsupport.RegistryServer;
import dev.flotilla.testsupport.TempDirs;
import java.nio.file.Path;

/**
 * The platform registry the tests' node agents pull from, as {@code flotilla up} runs one: a real
 * registry on loopback with the base images pushed (busybox, pause, echo) under the names manifests use,
 * and containerd mirrors of the public registries into it. Started once per test JVM (building the
 * images takes a while) and stopped when the JVM exits.
 */
final class PlatformImages {

    private static RegistryServer server;

    private PlatformImages() {
    }

    static synchronized PlatformRegistry registry() {
        if (server == null) {
            RegistryServer started = RegistryServer.start();
            Path work = TempDirs.create("flotilla-base-images-");
            try {
                new BaseImages(work).pushTo(new RegistryClient(started.address()), line -> { });
            } catch (RuntimeException | Error e) {
                started.close();
                throw e;
            } finally {
                TempDirs.deleteRecursively(work);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            server = started;
        }
        return new PlatformRegistry(server.address(), PlatformRegistry.DEFAULT_MIRRORED);
    }
}
