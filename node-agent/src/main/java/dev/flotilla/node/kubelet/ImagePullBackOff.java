package dev.flotilla.node.kubelet;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's image pull back-off, per pod and image (upstream's key {@code <pod uid>_<image>}): after
 * a failed pull the next waits 10 s, doubling to 5 min; an entry untouched for twice the maximum starts
 * again from 10 s. Keeps the last failure's message, shown until the pod's next attempt.
 */
final class ImagePullBackOff {

    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(5);

    record Failure(Duration delay, Instant failedAt, String message) {

        Instant retryAt() {
            return failedAt.plus(delay);
        }
    }

    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    static String key(String podUid, String image) {
        return podUid + "_" + image;
    }

    /** The last failure while its back-off lasts; empty when a pull may be tried now. */
    Optional<Failure> inBackOff(String key, Instant now) {
        Failure failure = failures.get(key);
        return failure != null && now.isBefore(failure.retryAt()) ? Optional.of(failure) : Optional.empty();
    }

    /** Records a failed pull; returns the back-off it starts. */
    Failure failed(String key, Instant now, String message) {
        return failures.compute(key, (k, before) -> {
            if (before == null || Duration.between(before.failedAt(), now).compareTo(MAX.multipliedBy(2)) > 0) {
                return new Failure(INITIAL, now, message);
            }
            Duration doubled = before.delay().multipliedBy(2);
            return new Failure(doubled.compareTo(MAX) > 0 ? MAX : doubled, now, message);
        });
    }

    void succeeded(String key) {
        failures.remove(key);
    }

    void forgetPod(String podUid) {
        failures.keySet().removeIf(key -> key.startsWith(podUid + "_"));
    }
}
