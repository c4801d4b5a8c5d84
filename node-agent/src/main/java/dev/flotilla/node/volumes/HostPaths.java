package dev.flotilla.node.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * hostPath volumes' {@code type} checks, as upstream's: DirectoryOrCreate and FileOrCreate create
 * what is missing (0755 directory with its parents; 0644 empty file, whose parent must exist), the
 * others require an existing object of that kind; the empty type checks nothing.
 */
final class HostPaths {

    private static final int TYPE_MASK = 0170000;
    private static final int SOCKET = 0140000;
    private static final int BLOCK = 0060000;
    private static final int DIRECTORY = 0040000;
    private static final int CHAR = 0020000;
    private static final int REGULAR = 0100000;

    private HostPaths() {
    }

    static void check(String path, String type) {
        Path file = Path.of(path);
        switch (type == null ? "" : type) {
            case "" -> { }
            case "DirectoryOrCreate" -> {
                if (!Files.exists(file)) {
                    create(file, true);
                }
                require(file, DIRECTORY, "is not a directory");
            }
            case "Directory" -> require(file, DIRECTORY, "is not a directory");
            case "FileOrCreate" -> {
                if (!Files.exists(file)) {
                    create(file, false);
                }
                require(file, REGULAR, "is not a file");
            }
            case "File" -> require(file, REGULAR, "is not a file");
            case "Socket" -> require(file, SOCKET, "is not a socket file");
            case "CharDevice" -> require(file, CHAR, "is not a character device");
            case "BlockDevice" -> require(file, BLOCK, "is not a block device");
            default -> throw new VolumeSetupException(type + " is an invalid volume type");
        }
    }

    private static void require(Path file, int kind, String otherwise) {
        if (fileType(file) != kind) {
            throw new VolumeSetupException("hostPath type check failed: " + file + " " + otherwise);
        }
    }

    /** The S_IFMT bits of the file (links followed), 0 when it does not exist. */
    static int fileType(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:mode") & TYPE_MASK;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new VolumeSetupException("cannot stat " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file, boolean directory) {
        try {
            if (directory) {
                Files.createDirectories(file);
                Files.setPosixFilePermissions(file, AtomicWriter.permissions(0755));
            } else {
                Files.createFile(file);
                Files.setPosixFilePermissions(file, AtomicWriter.permissions(0644));
            }
        } catch (IOException e) {
            throw new VolumeSetupException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }
}
