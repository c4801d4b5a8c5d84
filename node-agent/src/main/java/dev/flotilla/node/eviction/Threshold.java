package dev.flotilla.node.eviction;

import java.time.Duration;

/**
 * One eviction threshold: {@code signal < value}, the value either an absolute amount
 * ({@code percentage} negative) or a fraction of the signal's capacity; {@code gracePeriod} zero
 * for a hard threshold; {@code minReclaim} (same two forms, zero for none) is what must come free
 * beyond the threshold before it counts as resolved.
 */
public record Threshold(Signal signal, long quantity, double percentage, Duration gracePeriod, long minReclaimQuantity,
                        double minReclaimPercentage) {

    public static Threshold hard(Signal signal, long quantity, double percentage) {
        return new Threshold(signal, quantity, percentage, Duration.ZERO, 0, -1);
    }

    public boolean isHard() {
        return gracePeriod.isZero();
    }

    /** The threshold's amount for this capacity. */
    public long amount(long capacity) {
        return percentage >= 0 ? fraction(capacity, percentage) : quantity;
    }

    public long minReclaim(long capacity) {
        return minReclaimPercentage >= 0 ? fraction(capacity, minReclaimPercentage) : minReclaimQuantity;
    }

    /** {@code capacity × fraction}, truncated as upstream's, on the fraction as written (99.99% is 0.9999 exactly). */
    private static long fraction(long capacity, double fraction) {
        return java.math.BigDecimal.valueOf(capacity).multiply(java.math.BigDecimal.valueOf(fraction)).longValue();
    }

    public Threshold withGracePeriod(Duration grace) {
        return new Threshold(signal, quantity, percentage, grace, minReclaimQuantity, minReclaimPercentage);
    }

    public Threshold withMinReclaim(long amount, double fraction) {
        return new Threshold(signal, quantity, percentage, gracePeriod, amount, fraction);
    }

    /**
     * Met when the observation shows less available than the threshold (plus the minimum reclaim
     * when {@code enforceMinReclaim}, for a threshold met before); a signal not observed is not met.
     */
    public boolean metBy(Observation observation, boolean enforceMinReclaim) {
        if (observation == null) {
            return false;
        }
        long wanted = amount(observation.capacity());
        if (enforceMinReclaim) {
            wanted += minReclaim(observation.capacity());
        }
        return wanted > observation.available();
    }
}
