package dev.flotilla.controllers.quota;

import dev.flotilla.api.quota.Quantities;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When the API server's admission last charged each quota: a change of {@code status.used} that is
 * not this controller's own write. Admission charges before the object is stored, so for a moment
 * after a charge the informers may not show the object yet, and a recount then would write the
 * charge away and let creates pass hard. A recount that would lower usage therefore waits until the
 * quota has been {@link #SETTLE} without charges ({@link #settling}); raising or keeping usage never
 * waits. Refused creates write nothing, so a namespace at hard settles at once.
 */
final class RecentCharges {

    /** Longer than a create takes from its charge to its object reaching the informers, with margin. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private final Duration settle;
    private final LongSupplier nanoClock;
    private final Map<String, Long> chargedAt = new ConcurrentHashMap<>();
    private final Map<String, String> ownWrites = new ConcurrentHashMap<>();

    RecentCharges() {
        this(SETTLE, System::nanoTime);
    }

    RecentCharges(Duration settle, LongSupplier nanoClock) {
        this.settle = settle;
        this.nanoClock = nanoClock;
    }

    /** An informer update of the quota: a usage change at a revision this controller did not write is a charge. */
    void observed(String key, Map<String, Quantity> oldUsed, Map<String, Quantity> newUsed, String revision) {
        if (!Objects.equals(String.valueOf(oldUsed), String.valueOf(newUsed))
                && !revision.equals(ownWrites.get(key))) {
            chargedAt.put(key, nanoClock.getAsLong());
        }
    }

    /** This controller wrote the quota's status at {@code revision}. */
    void wrote(String key, String revision) {
        ownWrites.put(key, revision);
    }

    void forget(String key) {
        chargedAt.remove(key);
        ownWrites.remove(key);
    }

    /** How long a recount that lowers the quota's usage must still wait; empty when it may write now. */
    Optional<Duration> settling(String key) {
        Long at = chargedAt.get(key);
        if (at == null) {
            return Optional.empty();
        }
        long left = settle.toNanos() - (nanoClock.getAsLong() - at);
        return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
    }

    /** Whether {@code recounted} is below {@code current} for any resource. */
    static boolean lowers(Map<String, Quantity> current, Map<String, Quantity> recounted) {
        if (current == null) {
            return false;
        }
        return recounted.entrySet().stream().anyMatch(e -> current.containsKey(e.getKey())
                && Quantities.Sum.of(e.getValue()).amount()
                        .compareTo(Quantities.Sum.of(current.get(e.getKey())).amount()) < 0);
    }
}
