package dev.flotilla.apiserver.resourcemetrics;

import java.time.Duration;
import java.time.Instant;

/**
 * Usage over a window, as metrics-server computes it from two scrapes: the CPU rate between two
 * cumulative readings (in nano cores) and the later reading's working set.
 */
record ResourceUsage(Instant timestamp, Duration window, long nanoCores, long memoryBytes) {

    /** Null when the two readings give no rate (same time, or the counter went back: a restart). */
    static ResourceUsage between(KubeletSample.Point earlier, KubeletSample.Point later) {
        long windowMillis = later.timestampMillis() - earlier.timestampMillis();
        double cpu = later.cpuSeconds() - earlier.cpuSeconds();
        if (windowMillis <= 0 || cpu < 0) {
            return null;
        }
        long nanoCores = Math.round(cpu / (windowMillis / 1000d) * 1e9);
        return new ResourceUsage(Instant.ofEpochMilli(later.timestampMillis()), Duration.ofMillis(windowMillis),
                nanoCores, later.memoryBytes());
    }

    /** {@code 123456n} as metrics-server prints CPU. */
    String cpuQuantity() {
        return nanoCores + "n";
    }

    /** Binary SI as metrics-server prints memory: {@code 1234Ki} when a whole number of KiB. */
    String memoryQuantity() {
        return memoryBytes % 1024 == 0 && memoryBytes > 0 ? (memoryBytes / 1024) + "Ki" : Long.toString(memoryBytes);
    }

    /** {@code 15.003s}: a Go duration, as the {@code window} field shows it. */
    String windowText() {
        double seconds = window.toMillis() / 1000d;
        String text = seconds == Math.rint(seconds) ? Long.toString((long) seconds)
                : java.math.BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
        return text + "s";
    }
}
