package dev.flotilla.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * What node-agent tests need on the host: root, and containerd, runc, the CNI plugins, busybox-static,
 * umoci, gcc, docker-registry and skopeo (the image registry the tests' nodes pull from), installed
 * with apt-get when missing (as {@code ./flotilla test} does). Tests skip only when not root; as root
 * (CI) a failed install fails them.
 */
public final class NodePackages {

    private static final Map<String, Path> PACKAGES = Map.of(
            "containerd", Path.of("/usr/bin/containerd"),
            "runc", Path.of("/usr/sbin/runc"),
            "containernetworking-plugins", Path.of("/usr/lib/cni/ptp"),
            "iptables", Path.of("/usr/sbin/iptables"),
            "busybox-static", Path.of("/bin/busybox"),
            "umoci", Path.of("/usr/bin/umoci"),
            "gcc", Path.of("/usr/bin/gcc"),
            "docker-registry", Path.of("/usr/bin/docker-registry"),
            "skopeo", Path.of("/usr/bin/skopeo"),
            "libc6-dev", Path.of("/usr/lib/x86_64-linux-gnu/libc.a"));

    private NodePackages() {
    }

    public static synchronized void assumeRootAndInstall() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "node-agent tests need root (containerd, mounts, network namespaces)");
        List<String> missing = new ArrayList<>();
        PACKAGES.forEach((pkg, file) -> {
            if (!Files.exists(file)) {
                missing.add(pkg);
            }
        });
        if (missing.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
        command.addAll(missing);
        Command.Result result = Command.run(Duration.ofMinutes(10), Path.of("/"),
                Map.of("DEBIAN_FRONTEND", "noninteractive"), command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("apt-get could not install " + missing + ": " + result.output());
        }
    }
}
