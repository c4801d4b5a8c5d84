package dev.flotilla.node.kubelet;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CrashLoopBackOff as the kubelet keeps it per container: the first restart is immediate, then each
 * waits 10 s doubling to 5 min after the container finished; a container that stayed up 10 min
 * starts again from 10 s.
 */
final class RestartBackOff {

    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(5);
    static final Duration RESET_AFTER = Duration.ofMinutes(10);

    private record Entry(Duration delay, Instant updated) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** How long the container finished at {@code finishedAt} must still wait (zero when it may restart). */
    Duration remaining(String key, Instant finishedAt, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, finishedAt.plus(entry.delay()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    Duration current(String key) {
        Entry entry = entries.get(key);
        return entry == null ? INITIAL : entry.delay();
    }

    /** Records a restart: the next one waits twice as long, up to {@link #MAX}. */
    void restarted(String key, Instant finishedAt, Instant now) {
        entries.compute(key, (k, entry) -> {
            if (entry == null || Duration.between(entry.updated(), finishedAt).compareTo(RESET_AFTER) > 0) {
                return new Entry(INITIAL, now);
            }
            Duration doubled = entry.delay().multipliedBy(2);
            return new Entry(doubled.compareTo(MAX) > 0 ? MAX : doubled, now);
        });
    }

    void forgetPod(String podUid) {
        entries.keySet().removeIf(key -> key.startsWith(podUid + "/"));
    }
}
