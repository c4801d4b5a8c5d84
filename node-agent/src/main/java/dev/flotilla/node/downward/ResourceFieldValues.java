package dev.flotilla.node.downward;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code resourceFieldRef} values as upstream's kubelet computes them: the container's request or
 * limit divided by the divisor (default 1) and rounded up; an unset limit is the node's allocatable
 * (its processors, its memory), an unset request falls back to the limit, as API defaulting does.
 */
public final class ResourceFieldValues {

    private ResourceFieldValues() {
    }

    /** The value, or null for a resource name that is not {@code limits.*} or {@code requests.*}. */
    public static String value(Container container, ResourceFieldSelector selector) {
        String resource = selector.getResource();
        int dot = resource.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String kind = resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        Map<String, Quantity> limits = container.getResources() == null || container.getResources().getLimits() == null
                ? Map.of() : container.getResources().getLimits();
        Map<String, Quantity> requests = container.getResources() == null
                || container.getResources().getRequests() == null ? Map.of() : container.getResources().getRequests();
        BigDecimal amount;
        if (kind.equals("limits")) {
            amount = limits.containsKey(name) ? Quantity.getAmountInBytes(limits.get(name)) : nodeAllocatable(name);
        } else if (kind.equals("requests")) {
            Quantity request = requests.getOrDefault(name, limits.get(name));
            amount = request == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(request);
        } else {
            return null;
        }
        BigDecimal divisor = selector.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(selector.getDivisor());
        if (divisor.signum() <= 0) {
            divisor = BigDecimal.ONE;
        }
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static BigDecimal nodeAllocatable(String name) {
        return switch (name) {
            case "cpu" -> BigDecimal.valueOf(Runtime.getRuntime().availableProcessors());
            case "memory" -> BigDecimal.valueOf(memTotalBytes());
            default -> BigDecimal.ZERO;
        };
    }

    private static long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
