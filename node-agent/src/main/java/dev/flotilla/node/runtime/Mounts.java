package dev.flotilla.node.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The mount points under a directory (from /proc/self/mountinfo) and their removal, deepest first. */
public final class Mounts {

    private Mounts() {
    }

    public static List<Path> under(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        List<Path> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    Path mountPoint = Path.of(unescape(fields[4]));
                    if (mountPoint.startsWith(root)) {
                        found.add(mountPoint);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** True when {@code directory} itself is a mount point. */
    public static boolean isMountPoint(Path directory) {
        return under(directory).contains(directory.toAbsolutePath().normalize());
    }

    /** Mounts a new tmpfs (mode 0777) on {@code directory}; {@code sizeBytes} null leaves the kernel's default size. */
    public static void mountTmpfs(Path directory, Long sizeBytes) {
        String options = "mode=0777" + (sizeBytes == null ? "" : ",size=" + sizeBytes);
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", directory.toString())
                    .redirectErrorStream(true).start();
            String output = new String(mount.getInputStream().readAllBytes()).strip();
            if (!mount.waitFor(10, TimeUnit.SECONDS) || mount.exitValue() != 0) {
                throw new IOException("mount -t tmpfs -o " + options + " tmpfs " + directory + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while mounting " + directory, e);
        }
    }

    /** Lazily unmounts every mount point under {@code directory}, longest path first. */
    public static void unmountAll(Path directory) {
        List<Path> mounts = new ArrayList<>(under(directory));
        mounts.sort(Comparator.comparingInt((Path p) -> p.toString().length()).reversed());
        for (Path mount : mounts) {
            try {
                Process umount = new ProcessBuilder("umount", "-l", mount.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                umount.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
