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
