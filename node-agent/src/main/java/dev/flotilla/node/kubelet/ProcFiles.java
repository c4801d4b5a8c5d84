package dev.flotilla.node.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small text files of /proc, /sys and /etc, read whole; empty when absent or unreadable. */
public final class ProcFiles {

    private ProcFiles() {
    }

    /**
     * Files.readString sizes its read by the file's size, which /proc reports as 0, and then gets only
     * a sysctl file's first byte ("3" for a pid_max of 32768): the stream is read to its end instead.
     */
    public static String read(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
