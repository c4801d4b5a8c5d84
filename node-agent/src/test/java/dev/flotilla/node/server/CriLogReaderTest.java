package dev.flotilla.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.TempDirs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CriLogReaderTest {

    private final Path dir = TempDirs.create("cri-log-");
    private final Path file = dir.resolve("0.log");

    @AfterEach
    void clean() {
        TempDirs.deleteRecursively(dir);
    }

    private String read(CriLogReader.Options options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(options).copy(file, out, () -> false);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void joinsPartialLinesAndHonoursTailTimestampsLimitAndSince() throws Exception {
        Files.writeString(file, """
                2026-01-01T00:00:01.000000001Z stdout F one
                2026-01-01T00:00:02.000000002Z stderr P tw
                2026-01-01T00:00:02.500000000Z stderr F o
                2026-01-01T00:00:03.000000003Z stdout F three
                """);
        assertThat(read(new CriLogReader.Options(false, false, null, null, null))).isEqualTo("one\ntwo\nthree\n");
        assertThat(read(new CriLogReader.Options(false, false, 2, null, null))).isEqualTo("two\nthree\n");
        assertThat(read(new CriLogReader.Options(false, false, 0, null, null))).isEmpty();
        assertThat(read(new CriLogReader.Options(false, true, 1, null, null)))
                .isEqualTo("2026-01-01T00:00:03.000000003Z three\n");
        assertThat(read(new CriLogReader.Options(false, false, null, 6L, null))).isEqualTo("one\ntw");
        assertThat(read(new CriLogReader.Options(false, false, null, null, Instant.parse("2026-01-01T00:00:02.9Z"))))
                .isEqualTo("three\n");
    }

    @Test
    void outputNotEndedByANewlineIsShownAsItIs() throws Exception {
        Files.writeString(file, """
                2026-01-01T00:00:01.000000001Z stdout F one
                2026-01-01T00:00:02.000000002Z stdout P arrived
                """);
        assertThat(read(new CriLogReader.Options(false, false, null, null, null))).isEqualTo("one\narrived");
        assertThat(read(new CriLogReader.Options(false, true, 1, null, null)))
                .isEqualTo("2026-01-01T00:00:02.000000002Z arrived");
    }

    @Test
    void followingWaitsForALineToCompleteAndEndsWhenTheContainerStops() throws Exception {
        Files.writeString(file, "2026-01-01T00:00:01Z stdout F first\n2026-01-01T00:00:02Z stdout F sec");
        AtomicInteger checks = new AtomicInteger();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(new CriLogReader.Options(true, false, null, null, null)).copy(file, out, () -> {
            if (checks.getAndIncrement() == 0) {
                try {
                    Files.writeString(file, "ond\n", StandardOpenOption.APPEND);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return true;
            }
            return false;
        });
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\n");
    }
}
