package dev.flotilla.node.images;

import dev.flotilla.node.runtime.CriClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The images every node needs, built on the node with no registry and loaded into containerd's
 * {@code k8s.io} namespace: {@link #PAUSE} (a static C program, the sandbox image) and
 * {@link #BUSYBOX} (busybox-static with its applet links). A platform registry (issue 5 item 3) will
 * later serve these and users' images; until then manifests name {@code busybox} or
 * {@code docker.io/library/busybox:latest} and get the local one.
 */
public final class BaseImages {

    public static final String PAUSE = "localhost/flotilla/pause:1.0";
    public static final String BUSYBOX = "docker.io/library/busybox:latest";
    private static final String BUSYBOX_BINARY = "/bin/busybox";

    private final CriClient cri;
    private final Path workDir;
    private final ImageTools tools;

    public BaseImages(CriClient cri, Path workDir, Path containerdSocket) {
        this.cri = cri;
        this.workDir = workDir;
        this.tools = new ImageTools(containerdSocket);
    }

    /** Builds and loads whichever base image containerd does not have yet. */
    public void ensureLoaded() {
        if (cri.imageStatus(PAUSE).isEmpty()) {
            load(PAUSE, this::pauseRootfs, List.of("--config.entrypoint", "/pause"));
        }
        if (cri.imageStatus(BUSYBOX).isEmpty()) {
            load(BUSYBOX, this::busyboxRootfs, List.of("--config.cmd", "sh",
                    "--config.env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        }
    }

    private void load(String reference, RootfsWriter rootfs, List<String> config) {
        Path dir = workDir.resolve(reference.replaceAll("[^A-Za-z0-9.-]", "_"));
        tools.buildAndImport(reference, dir, rootfs, config);
    }

    private void pauseRootfs(Path rootfs) throws IOException {
        Path source = workDir.resolve("pause.c");
        try (InputStream in = BaseImages.class.getResourceAsStream("/images/pause.c")) {
            Files.copy(in, source, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ImageTools.run(List.of("gcc", "-static", "-Os", "-o", rootfs.resolve("pause").toString(), source.toString()));
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

    /** Fills an image's root filesystem. */
    @FunctionalInterface
    interface RootfsWriter {
        void write(Path rootfs) throws IOException;
    }

}
