package dev.flotilla.scheduler.cache;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * An amount of node resources as the scheduler counts them: CPU in millicores, memory and
 * ephemeral storage in bytes, a pod count, and extended resources (anything else, e.g.
 * {@code example.com/gpu}) in whole units. Mutable, used as an accumulator.
 */
public final class Resources {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    long milliCpu;
    long memory;
    long ephemeralStorage;
    long pods;
    final Map<String, Long> extended = new HashMap<>();

    public long milliCpu() {
        return milliCpu;
    }

    public long memory() {
        return memory;
    }

    public long ephemeralStorage() {
        return ephemeralStorage;
    }

    public long pods() {
        return pods;
    }

    public Map<String, Long> extended() {
        return extended;
    }

    /** The amount of the resource {@code name} (cpu in millicores); 0 for names not counted, such as {@code pods}. */
    public long amount(String name) {
        return switch (name) {
            case CPU -> milliCpu;
            case MEMORY -> memory;
            case EPHEMERAL_STORAGE -> ephemeralStorage;
            default -> extended.getOrDefault(name, 0L);
        };
    }

    /** The amounts in a resource list such as {@code requests} or {@code allocatable}. */
    public static Resources of(Map<String, Quantity> list) {
        Resources result = new Resources();
        if (list == null) {
            return result;
        }
        list.forEach((name, quantity) -> result.set(name, quantity));
        return result;
    }

    void set(String name, Quantity quantity) {
        switch (name) {
            case CPU -> milliCpu = milli(quantity);
            case MEMORY -> memory = whole(quantity);
            case EPHEMERAL_STORAGE -> ephemeralStorage = whole(quantity);
            case PODS -> pods = whole(quantity);
            default -> {
                if (isScalar(name)) {
                    extended.put(name, whole(quantity));
                }
            }
        }
    }

    /** Extended resources, hugepages and attachable volumes; not other names that are not resources at all. */
    public static boolean isScalar(String name) {
        return name.contains("/") || name.startsWith("hugepages-");
    }

    void add(Resources other) {
        milliCpu += other.milliCpu;
        memory += other.memory;
        ephemeralStorage += other.ephemeralStorage;
        pods += other.pods;
        other.extended.forEach((k, v) -> extended.merge(k, v, Long::sum));
    }

    void subtract(Resources other) {
        milliCpu -= other.milliCpu;
        memory -= other.memory;
        ephemeralStorage -= other.ephemeralStorage;
        pods -= other.pods;
        other.extended.forEach((k, v) -> extended.merge(k, -v, Long::sum));
    }

    /** Each amount raised to the other's where the other's is larger. */
    void setMax(Resources other) {
        milliCpu = Math.max(milliCpu, other.milliCpu);
        memory = Math.max(memory, other.memory);
        ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
        pods = Math.max(pods, other.pods);
        other.extended.forEach((k, v) -> extended.merge(k, v, Math::max));
    }

    Resources copy() {
        Resources copy = new Resources();
        copy.add(this);
        return copy;
    }

    static long milli(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).multiply(BigDecimal.valueOf(1000))
                .setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static long whole(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
