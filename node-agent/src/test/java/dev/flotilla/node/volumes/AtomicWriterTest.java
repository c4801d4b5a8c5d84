package dev.flotilla.node.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {

    @TempDir
    Path dir;

    private static FileProjection file(String text, int mode) {
        return new FileProjection(text.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Test
    void filesAreVisibleThroughDataSymlinksWithTheirModes() throws Exception {
        assertThat(AtomicWriter.write(dir, Map.of("a", file("1", 0644), "deep/b", file("2", 0400)))).isTrue();

        assertThat(Files.readSymbolicLink(dir.resolve("a"))).isEqualTo(Path.of("..data/a"));
        assertThat(Files.readSymbolicLink(dir.resolve("deep"))).isEqualTo(Path.of("..data/deep"));
        assertThat(dir.resolve("a")).hasContent("1");
        assertThat(dir.resolve("deep/b")).hasContent("2");
        assertThat(Files.getAttribute(dir.resolve("deep/b"), "unix:mode")).isEqualTo(0100400);
        assertThat(Files.readSymbolicLink(dir.resolve("..data")).toString()).startsWith("..20");
    }

    @Test
    void anUnchangedPayloadIsNotRewrittenAndAChangedOneSwapsEverythingAtOnce() throws Exception {
        AtomicWriter.write(dir, Map.of("a", file("1", 0644), "gone", file("x", 0644)));
        Path first = Files.readSymbolicLink(dir.resolve("..data"));
        assertThat(AtomicWriter.write(dir, Map.of("a", file("1", 0644), "gone", file("x", 0644)))).isFalse();
        assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isEqualTo(first);

        assertThat(AtomicWriter.write(dir, Map.of("a", file("2", 0644)))).isTrue();
        assertThat(dir.resolve("a")).hasContent("2");
        assertThat(Files.exists(dir.resolve("gone"), LinkOption.NOFOLLOW_LINKS)).as("removed key's link").isFalse();
        assertThat(Files.exists(dir.resolve(first))).as("old generation removed").isFalse();
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..20"))).hasSize(1);
        }
        assertThat(AtomicWriter.write(dir, Map.of("a", file("2", 0600)))).as("a mode change is a change").isTrue();
    }

    @Test
    void pathsThatEscapeTheVolumeAreRejected() {
        for (String bad : new String[] {"../x", "/etc/passwd", "a/../../x", "..hidden", ""}) {
            assertThatThrownBy(() -> AtomicWriter.write(dir, Map.of(bad, file("x", 0644))))
                    .isInstanceOf(VolumeSetupException.class).hasMessageContaining("invalid path");
        }
    }
}
