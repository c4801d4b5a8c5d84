package dev.flotilla.node.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** umoci (an OCI image from a root filesystem) and ctr (import into containerd's k8s.io namespace). */
final class ImageTools {

    private final Path containerdSocket;

    ImageTools(Path containerdSocket) {
        this.containerdSocket = containerdSocket;
    }

    void buildAndImport(String reference, Path dir, BaseImages.RootfsWriter rootfs, List<String> config) {
        int colon = reference.lastIndexOf(':');
        String name = reference.substring(0, colon);
        String tag = reference.substring(colon + 1);
        Path layout = dir.resolve("layout");
        Path bundle = dir.resolve("bundle");
        Path archive = dir.resolve("image.tar");
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            String image = layout + ":" + tag;
            run(List.of("umoci", "init", "--layout", layout.toString()));
            run(List.of("umoci", "new", "--image", image));
            run(List.of("umoci", "unpack", "--image", image, bundle.toString()));
            rootfs.write(bundle.resolve("rootfs"));
            run(List.of("umoci", "repack", "--image", image, bundle.toString()));
            List<String> configure = new ArrayList<>(List.of("umoci", "config", "--image", image,
                    "--os", "linux", "--architecture", "amd64"));
            configure.addAll(config);
            run(configure);
            run(List.of("tar", "-C", layout.toString(), "-cf", archive.toString(), "."));
            run(List.of("ctr", "--address", containerdSocket.toString(), "--namespace", "k8s.io",
                    "images", "import", "--base-name", name, archive.toString()));
            deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build image " + reference, e);
        }
    }

    static void run(List<String> command) {
        output(command);
    }

    static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command.get(0), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
