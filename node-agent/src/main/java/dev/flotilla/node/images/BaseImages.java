package dev.flotilla.node.images;

import dev.flotilla.node.runtime.CriClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The platform's own images, built from what the host has (no public registry is reachable):
 * {@link #PAUSE} (a static C program, the sandbox image), busybox (busybox-static with its applet
 * links) and {@code flotilla/echo} (a static C HTTP echo server for demos). A node imports the sandbox
 * image straight into containerd's {@code k8s.io} namespace ({@link #ensureLoaded}), and busybox too
 * when it has no platform registry; {@code flotilla up} pushes all of them to the platform registry
 * ({@link #pushTo}) under the names manifests use ({@code busybox}, {@code registry.k8s.io/pause:3.9}).
 */
public final class BaseImages {

    public static final String PAUSE = "localhost/flotilla/pause:1.0";
    public static final String BUSYBOX = "docker.io/library/busybox:latest";
    /** The echo image's repository in the platform registry. */
    public static final String ECHO_REPOSITORY = "flotilla/echo";
    private static final String BUSYBOX_BINARY = "/bin/busybox";
    private static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path workDir;

    public BaseImages(Path workDir) {
        this.workDir = workDir;
    }

    private record Image(String key, ImageTools.RootfsWriter rootfs, List<String> config) {
    }

    private Image pause() {
        return new Image("pause", this::pauseRootfs, List.of("--config.entrypoint", "/pause"));
    }

    private Image busybox() {
        return new Image("busybox", this::busyboxRootfs, List.of("--config.cmd", "sh", "--config.env", PATH_ENV));
    }

    private Image echo() {
        return new Image("echo", this::echoRootfs, List.of("--config.entrypoint", "/echo", "--config.env", "PORT=8080",
                "--config.exposedports", "8080/tcp"));
    }

    /** Builds and imports the sandbox image (and busybox when {@code withBusybox}) that containerd does not have yet. */
    public void ensureLoaded(CriClient cri, Path containerdSocket, boolean withBusybox) {
        if (cri.imageStatus(PAUSE).isEmpty()) {
            importImage(pause(), ImageReference.parse(PAUSE), containerdSocket);
        }
        if (withBusybox && cri.imageStatus(BUSYBOX).isEmpty()) {
            importImage(busybox(), ImageReference.parse(BUSYBOX), containerdSocket);
        }
    }

    /**
     * Builds and pushes to {@code registry} each base image it lacks a tag of; returns the references
     * pushed. busybox is tagged {@code latest}, busybox-static's own version and {@code 1.36} (what
     * manifests commonly pin; it is this host's busybox all the same).
     */
    public List<String> pushTo(RegistryClient registry, Consumer<String> progress) {
        String host = registry.address();
        List<String> pushed = new ArrayList<>();
        pushed.addAll(pushMissing(registry, pause(), List.of("registry.k8s.io/pause:3.9", "registry.k8s.io/pause:3.10",
                "registry.k8s.io/pause:latest"), progress));
        List<String> busyboxTags = new ArrayList<>(List.of("busybox:latest", "busybox:1.36"));
        busyboxVersion().ifPresent(v -> busyboxTags.add("busybox:" + v));
        pushed.addAll(pushMissing(registry, busybox(), busyboxTags, progress));
        pushed.addAll(pushMissing(registry, echo(), List.of(host + "/" + ECHO_REPOSITORY + ":latest"), progress));
        return pushed;
    }

    private List<String> pushMissing(RegistryClient registry, Image image, List<String> names, Consumer<String> progress) {
        String host = registry.address();
        List<ImageReference> missing = names.stream().map(ImageReference::parse)
                .filter(ref -> !registry.tags(ref.repositoryIn(host)).contains(ref.tag())).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        progress.accept("building " + image.key() + " for " + missing);
        Path dir = workDir.resolve(image.key());
        Path layout = ImageTools.buildLayout(dir, "image", image.rootfs(), image.config());
        List<String> pushed = new ArrayList<>();
        for (ImageReference ref : missing) {
            ImageTools.push("oci:" + layout + ":image", ref.inRegistry(host));
            pushed.add(ref.toString());
        }
        deleteQuietly(dir);
        return pushed;
    }

    private void importImage(Image image, ImageReference reference, Path containerdSocket) {
        Path dir = workDir.resolve(image.key());
        Path layout = ImageTools.buildLayout(dir, reference.tag(), image.rootfs(), image.config());
        ImageTools.importInto(containerdSocket, layout, reference);
        deleteQuietly(dir);
    }

    private static java.util.Optional<String> busyboxVersion() {
        try {
            String banner = ImageTools.output(List.of(BUSYBOX_BINARY, "--help")).lines().findFirst().orElse("");
            var matcher = java.util.regex.Pattern.compile("BusyBox v(\\d+\\.\\d+(?:\\.\\d+)?)").matcher(banner);
            return matcher.find() ? java.util.Optional.of(matcher.group(1)) : java.util.Optional.empty();
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private void pauseRootfs(Path rootfs) throws IOException {
        compile("pause.c", rootfs.resolve("pause"));
    }

    private void echoRootfs(Path rootfs) throws IOException {
        compile("echo.c", rootfs.resolve("echo"));
    }

    private void compile(String source, Path binary) throws IOException {
        Path file = workDir.resolve(source);
        try (InputStream in = BaseImages.class.getResourceAsStream("/images/" + source)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        ImageTools.run(List.of("gcc", "-static", "-Os", "-o", binary.toString(), file.toString()));
    }

    private void busyboxRootfs(Path rootfs) throws IOException {
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of(BUSYBOX_BINARY), bin.resolve("busybox"));
        for (String dir : List.of("sbin", "usr/bin", "usr/sbin", "tmp", "etc", "root", "proc", "sys", "dev")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        for (String applet : ImageTools.output(List.of(BUSYBOX_BINARY, "--list-full")).split("\n")) {
            if (!applet.isBlank() && !applet.equals("bin/busybox")) {
                Path link = rootfs.resolve(applet.strip());
                Files.createDirectories(link.getParent());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of("/bin/busybox"));
            }
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    }

    private static void deleteQuietly(Path dir) {
        try {
            ImageTools.deleteTree(dir);
        } catch (IOException e) {
            // scratch space; the next build starts by clearing it
        }
    }
}
