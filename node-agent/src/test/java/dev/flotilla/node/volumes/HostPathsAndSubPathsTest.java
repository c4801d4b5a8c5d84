package dev.flotilla.node.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathsAndSubPathsTest {

    @TempDir
    Path dir;

    @Test
    void typesAreCheckedAndTheOrCreateTypesCreateWhatIsMissing() throws Exception {
        Path newDir = dir.resolve("a/b");
        HostPaths.check(newDir.toString(), "DirectoryOrCreate");
        assertThat(newDir).isDirectory();
        Path newFile = dir.resolve("f");
        HostPaths.check(newFile.toString(), "FileOrCreate");
        assertThat(newFile).isRegularFile();
        HostPaths.check(newFile.toString(), "File");
        HostPaths.check("/dev/null", "CharDevice");
        HostPaths.check(dir.resolve("anything").toString(), "");

        assertThatThrownBy(() -> HostPaths.check(newFile.toString(), "Directory"))
                .hasMessage("hostPath type check failed: " + newFile + " is not a directory");
        assertThatThrownBy(() -> HostPaths.check(newDir.toString(), "File"))
                .hasMessage("hostPath type check failed: " + newDir + " is not a file");
        assertThatThrownBy(() -> HostPaths.check(newFile.toString(), "Socket"))
                .hasMessage("hostPath type check failed: " + newFile + " is not a socket file");
        assertThatThrownBy(() -> HostPaths.check("/dev/null", "BlockDevice"))
                .hasMessage("hostPath type check failed: /dev/null is not a block device");
        assertThatThrownBy(() -> HostPaths.check(dir.resolve("missing/f").toString(), "FileOrCreate"))
                .isInstanceOf(VolumeSetupException.class).hasMessageContaining("cannot create");
        assertThatThrownBy(() -> HostPaths.check(dir.toString(), "Folder")).hasMessage("Folder is an invalid volume type");
    }

    @Test
    void subPathsAreCreatedAndMayNotLeaveTheirVolume() throws Exception {
        Path volume = Files.createDirectories(dir.resolve("vol"));
        assertThat(ContainerMounts.subPath(volume, "x/y")).isEqualTo(volume.toRealPath().resolve("x/y"));
        assertThat(volume.resolve("x/y")).isDirectory();

        Files.createSymbolicLink(volume.resolve("escape"), dir);
        assertThatThrownBy(() -> ContainerMounts.subPath(volume, "escape"))
                .isInstanceOf(VolumeSetupException.class).hasMessageContaining("not within volume path");
        assertThatThrownBy(() -> ContainerMounts.subPath(volume, "../x")).hasMessageContaining("invalid subpath");
        assertThatThrownBy(() -> ContainerMounts.subPath(volume, "/etc")).hasMessageContaining("invalid subpath");
    }
}
