package dev.flotilla.node.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPathCleanerTest {

    @TempDir
    Path root;

    @Test
    void removesAVolumeDirectoryWithItsContentsButNotWhatALinkPointsTo() throws IOException {
        Path base = Files.createDirectories(root.resolve("local-path"));
        Path outside = Files.writeString(root.resolve("keep"), "precious");
        Path volume = Files.createDirectories(base.resolve("pvc-1/nested"));
        Files.writeString(volume.resolve("f"), "data");
        Files.createSymbolicLink(base.resolve("pvc-1/link"), outside);

        LocalPathCleaner.removeDirectory(base, base.resolve("pvc-1"));

        assertThat(base.resolve("pvc-1")).doesNotExist();
        assertThat(outside).hasContent("precious");
        LocalPathCleaner.removeDirectory(base, base.resolve("pvc-1"));
    }

    @Test
    void refusesPathsThatAreNotDirectlyUnderTheBaseDir() throws IOException {
        Path base = Files.createDirectories(root.resolve("local-path"));
        Path other = Files.createDirectories(root.resolve("other/pvc-2"));
        assertThatThrownBy(() -> LocalPathCleaner.removeDirectory(base, other)).hasMessageContaining("left in place");
        assertThatThrownBy(() -> LocalPathCleaner.removeDirectory(base, base.resolve("pvc-3/../../other/pvc-2")))
                .hasMessageContaining("left in place");
        assertThatThrownBy(() -> LocalPathCleaner.removeDirectory(base, base)).hasMessageContaining("left in place");
        assertThat(other).exists();
    }
}
