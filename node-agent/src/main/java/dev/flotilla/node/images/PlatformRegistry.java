package dev.flotilla.node.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The platform image registry a node pulls from ({@code host:port}, plain HTTP) and the public registries
 * it stands in for, as containerd {@code hosts.toml} files (k3s registries.yaml style, air-gapped): a
 * pull of {@code docker.io/library/busybox:1.36} asks the platform registry for its repository
 * {@code docker.io/library/busybox} and never the public host, so a missing image is "not found" there.
 */
public record PlatformRegistry(String address, List<String> mirroredRegistries) {

    public static final int DEFAULT_PORT = 5000;
    public static final List<String> DEFAULT_MIRRORED = List.of("docker.io", "registry.k8s.io", "k8s.gcr.io",
            "gcr.io", "quay.io", "ghcr.io", "mcr.microsoft.com", "public.ecr.aws");

    public PlatformRegistry {
        if (address == null || !address.matches("[A-Za-z0-9.-]+:\\d{1,5}|[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("the image registry must be HOST:PORT, not " + address);
        }
        mirroredRegistries = List.copyOf(mirroredRegistries);
    }

    public String url() {
        return "http://" + address;
    }

    /** The hosts.toml for {@code registry}: the platform registry itself over HTTP, or a mirror path into it. */
    public String hostsToml(String registry) {
        if (registry.equals(address)) {
            return """
                    server = "%1$s"
                    [host."%1$s"]
                      capabilities = ["pull", "resolve", "push"]
                    """.formatted(url());
        }
        // The fallback "server" is the mirror too: the public registry is never asked (nothing reaches it here).
        return """
                server = "%1$s/v2/%2$s"
                [host."%1$s/v2/%2$s"]
                  capabilities = ["pull", "resolve"]
                  override_path = true
                """.formatted(url(), registry);
    }

    /** Writes {@code <certsDir>/<registry>/hosts.toml} for the platform registry and every mirrored one. */
    public void writeHostsFiles(Path certsDir) {
        try {
            for (String registry : concat(address, mirroredRegistries)) {
                Path dir = Files.createDirectories(certsDir.resolve(registry));
                Path temp = dir.resolve("hosts.toml.tmp");
                Files.writeString(temp, hostsToml(registry));
                Files.move(temp, dir.resolve("hosts.toml"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry configuration under " + certsDir, e);
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(List.of(first));
        rest.stream().filter(r -> !r.equals(first)).forEach(all::add);
        return all;
    }
}
