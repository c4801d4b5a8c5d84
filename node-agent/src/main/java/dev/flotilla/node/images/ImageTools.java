package dev.flotilla.node.images;

import dev.flotilla.node.runtime.HostCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The image tools the node uses: umoci (an OCI image layout from a root filesystem), ctr (import into
 * containerd's {@code k8s.io} namespace) and skopeo (push to a registry).
 */
final class ImageTools {

    private ImageTools() {
    }

    /**
     * Builds an OCI layout in {@code dir/layout} holding one linux/amd64 image tagged {@code tag}: a
     * single layer from what {@code rootfs} writes, and the image config from umoci's {@code --config.*}
     * arguments.
     */
    static Path buildLayout(Path dir, String tag, RootfsWriter rootfs, List<String> config) {
        Path layout = dir.resolve("layout");
        Path bundle = dir.resolve("bundle");
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            String image = layout + ":" + tag;
            List<String> rootless = isRoot() ? List.of() : List.of("--rootless");
            run(List.of("umoci", "init", "--layout", layout.toString()));
            run(List.of("umoci", "new", "--image", image));
            run(concat(List.of("umoci", "unpack"), rootless, List.of("--image", image, bundle.toString())));
            rootfs.write(bundle.resolve("rootfs"));
            run(concat(List.of("umoci", "repack"), rootless, List.of("--image", image, bundle.toString())));
            run(concat(List.of("umoci", "config", "--image", image, "--os", "linux", "--architecture", "amd64"),
                    config, List.of()));
            deleteTree(bundle);
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build an image in " + dir, e);
        }
    }

    /** Imports the layout's image tagged {@code reference}'s tag into containerd as {@code reference}. */
    static void importInto(Path containerdSocket, Path layout, ImageReference reference) {
        Path archive = layout.resolveSibling("image.tar");
        run(List.of("tar", "-C", layout.toString(), "-cf", archive.toString(), "."));
        run(List.of("ctr", "--address", containerdSocket.toString(), "--namespace", "k8s.io",
                "images", "import", "--base-name", reference.name(), archive.toString()));
    }

    /**
     * Copies an image with skopeo: {@code source} in skopeo's transport syntax ({@code oci:DIR:TAG},
     * {@code oci-archive:FILE}, {@code docker-archive:FILE}) to {@code destination} on a plain-HTTP registry.
     */
    static void push(String source, String destination) {
        run(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--insecure-policy",
                source, "docker://" + destination));
    }

    static void run(List<String> command) {
        output(command);
    }

    static String output(List<String> command) {
        return HostCommands.output(command, null, Duration.ofMinutes(5));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    /** Fills an image's root filesystem. */
    @FunctionalInterface
    interface RootfsWriter {
        void write(Path rootfs) throws IOException;
    }
}
