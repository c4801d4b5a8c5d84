package dev.flotilla.node.runtime;

import dev.flotilla.node.images.BaseImages;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.NodePackages;
import dev.flotilla.testsupport.TempDirs;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A containerd of the test's own under a temporary directory, with the base images loaded. Closing
 * removes every sandbox it ran, stops containerd, unmounts what is left under the directory and
 * deletes it.
 */
public final class TestContainerd implements AutoCloseable {

    private final Path dir;
    private final ContainerdSupervisor supervisor;
    private final CriClient cri;

    private TestContainerd(Path dir) {
        this.dir = dir;
        ContainerdConfig config = new ContainerdConfig(dir.resolve("containerd"), dir.resolve("cni/net.d"),
                Path.of("/usr/lib/cni"), BaseImages.PAUSE);
        supervisor = new ContainerdSupervisor(config, "containerd").start();
        cri = new CriClient(config.socket());
        Await.until(Duration.ofSeconds(60), "containerd answering CRI", cri::runtimeReady);
        new BaseImages(dir.resolve("images")).ensureLoaded(cri, config.socket(), true);
    }

    public static TestContainerd start() {
        NodePackages.assumeRootAndInstall();
        return new TestContainerd(TempDirs.create("flotilla-ctrd-"));
    }

    public Path dir() {
        return dir;
    }

    public CriClient cri() {
        return cri;
    }

    public ContainerdSupervisor supervisor() {
        return supervisor;
    }

    @Override
    public void close() {
        try {
            for (var sandbox : cri.listPodSandboxes()) {
                cri.stopPodSandbox(sandbox.getId());
                cri.removePodSandbox(sandbox.getId());
            }
        } catch (RuntimeException e) {
            // containerd already gone: the unmount below still cleans up
        }
        cri.close();
        supervisor.close();
        Mounts.unmountAll(dir);
        TempDirs.deleteRecursively(dir);
    }
}
