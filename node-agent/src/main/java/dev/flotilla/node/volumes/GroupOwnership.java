package dev.flotilla.node.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The pod's {@code fsGroup} applied to a volume it owns, as upstream's kubelet does: every file and
 * directory gets that group, group read (and write unless the volume is read-only) and directories
 * the setgid bit, so that files the containers create inherit the group.
 */
final class GroupOwnership {

    private static final int SETGID = 02000;

    private GroupOwnership() {
    }

    static void apply(Path root, long gid, boolean readOnly) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    mode |= SETGID | (readOnly ? 0050 : 0070);
                } else {
                    mode |= readOnly ? 0040 : 0060;
                }
                Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new VolumeSetupException("cannot apply fsGroup " + gid + " to " + root + ": " + e.getMessage(), e);
        }
    }
}
