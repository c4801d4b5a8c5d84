package dev.flotilla.node.stats;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU use as a rate (nano cores) from two readings of a cumulative counter, per node or container id,
 * for runtimes that leave CRI's {@code usage_nano_cores} unset. The first reading of a key has no
 * rate yet (0), as upstream's first sample; readings less than {@link #MIN_WINDOW_NANOS} after the
 * last sample get that sample's rate, so two callers a moment apart both see a sensible figure.
 */
final class CpuRates {

    static final long MIN_WINDOW_NANOS = 1_000_000_000L;

    private record Sample(long timestampNanos, long cumulativeNanos, long rate) {
    }

    private final Map<String, Sample> last = new ConcurrentHashMap<>();

    long rate(String key, long timestampNanos, long cumulativeNanos) {
        Sample previous = last.get(key);
        if (previous != null && cumulativeNanos >= previous.cumulativeNanos()
                && timestampNanos - previous.timestampNanos() < MIN_WINDOW_NANOS) {
            return previous.rate();
        }
        long rate = 0;
        if (previous != null && cumulativeNanos >= previous.cumulativeNanos()) {
            rate = Math.round((double) (cumulativeNanos - previous.cumulativeNanos())
                    / (timestampNanos - previous.timestampNanos()) * 1_000_000_000d);
        }
        last.put(key, new Sample(timestampNanos, cumulativeNanos, rate));
        return rate;
    }

    /** Forgets keys no longer read (removed containers). */
    void retain(Set<String> keys) {
        last.keySet().retainAll(keys);
    }
}
