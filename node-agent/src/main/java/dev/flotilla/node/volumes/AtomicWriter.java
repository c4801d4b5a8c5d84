package dev.flotilla.node.volumes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a volume's files so that a container never sees a half-updated set, as upstream's kubelet
 * does: the files go into a new hidden directory {@code ..<timestamp>}, the symlink {@code ..data}
 * is switched to it with one rename, and each visible top-level name is a symlink into
 * {@code ..data}. Applications that watch {@code ..data} see one change per update.
 */
final class AtomicWriter {

    static final String DATA = "..data";
    private static final String DATA_TMP = "..data_tmp";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.n");

    private AtomicWriter() {
    }

    /** Makes {@code directory} hold exactly {@code payload}; returns false when it already did. */
    static boolean write(Path directory, Map<String, FileProjection> payload) {
        payload.keySet().forEach(AtomicWriter::checkPath);
        try {
            Files.createDirectories(directory);
            Path link = directory.resolve(DATA);
            Path old = Files.isSymbolicLink(link) ? directory.resolve(Files.readSymbolicLink(link)) : null;
            if (old != null && Files.isDirectory(old) && current(old).equals(payload)) {
                return false;
            }
            Path fresh = directory.resolve(".." + LocalDateTime.now(ZoneOffset.UTC).format(STAMP));
            Files.createDirectory(fresh);
            for (var file : payload.entrySet()) {
                Path target = fresh.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue().data());
                Files.setPosixFilePermissions(target, permissions(file.getValue().mode()));
            }
            Path tmp = directory.resolve(DATA_TMP);
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, fresh.getFileName());
            Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Set<String> visible = new HashSet<>();
            payload.keySet().forEach(path -> visible.add(path.split("/", 2)[0]));
            for (String name : visible) {
                try {
                    Files.createSymbolicLink(directory.resolve(name), Path.of(DATA, name));
                } catch (FileAlreadyExistsException e) {
                    // the link from an earlier write points into ..data already
                }
            }
            try (Stream<Path> entries = Files.list(directory)) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    if (!name.startsWith("..") && !visible.contains(name)) {
                        Files.deleteIfExists(entry);
                    }
                }
            }
            if (old != null && !old.equals(fresh)) {
                deleteTree(old);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write volume files in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Paths are relative, without {@code ..} elements and not starting with {@code ..}, as API validation requires. */
    private static void checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("..")
                || Stream.of(path.split("/")).anyMatch(p -> p.equals("..") || p.isEmpty())) {
            throw new VolumeSetupException("invalid path " + path + ": must be relative, without '..' elements");
        }
    }

    private static Map<String, FileProjection> current(Path directory) throws IOException {
        Map<String, FileProjection> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path file : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0777;
                files.put(directory.relativize(file).toString(), new FileProjection(Files.readAllBytes(file), mode));
            }
        }
        return files;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
