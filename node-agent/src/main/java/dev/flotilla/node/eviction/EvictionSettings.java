package dev.flotilla.node.eviction;

import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node agent's eviction and garbage collection settings, under upstream's KubeletConfiguration
 * names and defaults: {@code evictionHard} (memory.available&lt;100Mi, nodefs.available&lt;10%,
 * nodefs.inodesFree&lt;5%, imagefs.available&lt;15%; setting it replaces the whole default set),
 * {@code evictionSoft} with {@code evictionSoftGracePeriod}, {@code evictionMinimumReclaim},
 * {@code evictionPressureTransitionPeriod} (5m), {@code evictionMaxPodGracePeriod} (0),
 * {@code imageGCHighThresholdPercent} (85), {@code imageGCLowThresholdPercent} (80),
 * {@code imageMinimumGCAge} (2m), and container GC's {@code minimumContainerTTLDuration} (0) and
 * {@code maxPerPodContainer} (1). {@code monitoringInterval} (10 s, upstream's housekeeping
 * interval), {@code imageGcPeriod} (5m) and {@code containerGcPeriod} (1m) are upstream's fixed
 * periods, settable here for tests.
 */
public record EvictionSettings(List<Threshold> thresholds, Duration pressureTransitionPeriod, long maxPodGracePeriodSeconds,
                               int imageGcHighThresholdPercent, int imageGcLowThresholdPercent, Duration imageMinimumGcAge,
                               Duration minimumContainerTtl, int maxPerPodContainer, Duration monitoringInterval,
                               Duration imageGcPeriod, Duration containerGcPeriod) {

    public static final String DEFAULT_EVICTION_HARD =
            "memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%";

    public EvictionSettings {
        thresholds = List.copyOf(thresholds);
        if (imageGcHighThresholdPercent < 0 || imageGcHighThresholdPercent > 100) {
            throw new IllegalArgumentException("imageGCHighThresholdPercent (--image-gc-high-threshold: "
                    + imageGcHighThresholdPercent + ") must be between 0 and 100, inclusive");
        }
        if (imageGcLowThresholdPercent < 0 || imageGcLowThresholdPercent > 100) {
            throw new IllegalArgumentException("imageGCLowThresholdPercent (--image-gc-low-threshold: "
                    + imageGcLowThresholdPercent + ") must be between 0 and 100, inclusive");
        }
        if (imageGcLowThresholdPercent >= imageGcHighThresholdPercent) {
            throw new IllegalArgumentException("imageGCLowThresholdPercent (--image-gc-low-threshold: "
                    + imageGcLowThresholdPercent + ") must be less than imageGCHighThresholdPercent (--image-gc-high-threshold: "
                    + imageGcHighThresholdPercent + ")");
        }
        if (monitoringInterval.isNegative() || monitoringInterval.isZero()) {
            throw new IllegalArgumentException("--eviction-monitoring-interval must be positive");
        }
    }

    public static EvictionSettings defaults() {
        return fromOptions(Map.of());
    }

    /**
     * From the agent's options, named as the kubelet's flags ({@code eviction-hard}, {@code image-gc-high-threshold},
     * …); what is not given keeps its default.
     */
    public static EvictionSettings fromOptions(Map<String, String> options) {
        List<Threshold> hard = parseThresholds(options.getOrDefault("eviction-hard", DEFAULT_EVICTION_HARD), "--eviction-hard");
        List<Threshold> soft = parseThresholds(options.getOrDefault("eviction-soft", ""), "--eviction-soft");
        Map<Signal, String> graces = parseMap(options.getOrDefault("eviction-soft-grace-period", ""), "--eviction-soft-grace-period");
        Map<Signal, String> reclaims = parseMap(options.getOrDefault("eviction-minimum-reclaim", ""), "--eviction-minimum-reclaim");
        List<Threshold> all = new ArrayList<>(hard);
        for (Threshold threshold : soft) {
            String grace = graces.remove(threshold.signal());
            if (grace == null) {
                throw new IllegalArgumentException("grace period must be specified for the soft eviction threshold "
                        + threshold.signal());
            }
            Duration period = GoDurations.parse(grace);
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("grace period of the soft eviction threshold " + threshold.signal()
                        + " must be positive, not " + grace);
            }
            all.add(threshold.withGracePeriod(period));
        }
        if (!graces.isEmpty()) {
            throw new IllegalArgumentException("grace period specified for a signal without a soft eviction threshold: "
                    + graces.keySet().iterator().next());
        }
        for (int i = 0; i < all.size(); i++) {
            String reclaim = reclaims.get(all.get(i).signal());
            if (reclaim != null) {
                Amount amount = amount(reclaim, all.get(i).signal(), "--eviction-minimum-reclaim");
                all.set(i, all.get(i).withMinReclaim(amount.quantity(), amount.percentage()));
            }
        }
        return new EvictionSettings(all,
                duration(options, "eviction-pressure-transition-period", "5m"),
                integer(options, "eviction-max-pod-grace-period", 0),
                (int) integer(options, "image-gc-high-threshold", 85),
                (int) integer(options, "image-gc-low-threshold", 80),
                duration(options, "image-minimum-gc-age", "2m"),
                duration(options, "minimum-container-ttl-duration", "0"),
                (int) integer(options, "maximum-dead-containers-per-container", 1),
                duration(options, "eviction-monitoring-interval", "10s"),
                duration(options, "image-gc-period", "5m"),
                duration(options, "container-gc-period", "1m"));
    }

    /** The hard threshold for one signal, if there is one (allocatable keeps memory's and nodefs's back). */
    public java.util.Optional<Threshold> hardThreshold(Signal signal) {
        return thresholds.stream().filter(t -> t.signal() == signal && t.isHard()).findFirst();
    }

    /**
     * {@code signal<value,...} as the kubelet's {@code --eviction-hard}: only {@code <}, a quantity
     * or a percentage; a signal once; {@code 0} or {@code 0%} leaves the signal without a threshold.
     */
    static List<Threshold> parseThresholds(String text, String option) {
        List<Threshold> thresholds = new ArrayList<>();
        for (String statement : text.split(",")) {
            String trimmed = statement.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int operator = trimmed.indexOf('<');
            if (operator <= 0 || operator == trimmed.length() - 1) {
                throw new IllegalArgumentException(option + ": invalid eviction threshold syntax " + trimmed
                        + ", expected <signal><operator><value>");
            }
            Signal signal = signal(trimmed.substring(0, operator).trim(), option);
            if (thresholds.stream().anyMatch(t -> t.signal() == signal)) {
                throw new IllegalArgumentException(option + ": found duplicate eviction threshold for signal " + signal);
            }
            Amount amount = amount(trimmed.substring(operator + 1).trim(), signal, option);
            if (amount.quantity() == 0 && amount.percentage() <= 0) {
                continue;
            }
            thresholds.add(Threshold.hard(signal, amount.quantity(), amount.percentage()));
        }
        return thresholds;
    }

    private record Amount(long quantity, double percentage) {
    }

    private static Amount amount(String value, Signal signal, String option) {
        if (value.endsWith("%")) {
            double percent;
            try {
                percent = Double.parseDouble(value.substring(0, value.length() - 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": invalid percentage " + value + " for " + signal);
            }
            if (percent < 0) {
                throw new IllegalArgumentException(option + ": eviction percentage threshold " + signal
                        + " must be >= 0%: " + value);
            }
            if (percent > 100) {
                throw new IllegalArgumentException(option + ": eviction percentage threshold " + signal
                        + " must be <= 100%: " + value);
            }
            return new Amount(0, new java.math.BigDecimal(value.substring(0, value.length() - 1)).movePointLeft(2).doubleValue());
        }
        long quantity;
        try {
            quantity = new Quantity(value).getNumericalAmount().longValue();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + ": invalid quantity " + value + " for " + signal);
        }
        if (quantity < 0) {
            throw new IllegalArgumentException(option + ": eviction threshold " + signal + " must be positive: " + value);
        }
        return new Amount(quantity, -1);
    }

    private static Map<Signal, String> parseMap(String text, String option) {
        Map<Signal, String> values = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + ": expected signal=value, not " + trimmed);
            }
            values.put(signal(trimmed.substring(0, eq).trim(), option), trimmed.substring(eq + 1).trim());
        }
        return values;
    }

    private static Signal signal(String key, String option) {
        return Signal.byKey(key).orElseThrow(() -> new IllegalArgumentException(option + ": unsupported eviction signal " + key));
    }

    private static Duration duration(Map<String, String> options, String name, String fallback) {
        try {
            return GoDurations.parse(options.getOrDefault(name, fallback));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + ": " + e.getMessage());
        }
    }

    private static long integer(Map<String, String> options, String name, long fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, not " + value);
        }
    }
}
