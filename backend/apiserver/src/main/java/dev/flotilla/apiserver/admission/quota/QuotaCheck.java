package dev.flotilla.apiserver.admission.quota;

import dev.flotilla.api.quota.ObjectUsage;
import dev.flotilla.api.quota.Quantities;
import dev.flotilla.api.quota.QuotaScopes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One quota's answer to one new object, as upstream's quota admission decides it: a quota counts
 * the object when it limits (in {@code status.hard}) something the object's evaluator tracks and its
 * scopes match; then every tracked resource must already have a {@code status.used}, a pod must
 * state the cpu/memory requests and limits the quota limits, and used + requested may not pass hard.
 */
final class QuotaCheck {

    /** Why a quota refuses the object; the admission plugin words it as a 403. */
    static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    private QuotaCheck() {
    }

    /** Whether the quota counts the object at all: it limits something the object uses and its scopes match. */
    static boolean counts(ResourceQuota quota, String group, String resource, Object typed) {
        Map<String, Quantity> hard = quota.getStatus() == null || quota.getStatus().getHard() == null ? Map.of()
                : quota.getStatus().getHard();
        return !ObjectUsage.of(group, resource, typed, hard.keySet()).isEmpty() && scopesMatch(quota, typed);
    }

    /**
     * The quota's {@code status.used} with the object charged, or empty when the quota does not count
     * it or it charges nothing. {@code typed} is the decoded Pod, Service or claim (else anything).
     */
    static Optional<Map<String, Quantity>> charge(ResourceQuota quota, String group, String resource, Object typed) {
        Map<String, Quantity> hard = quota.getStatus() == null || quota.getStatus().getHard() == null ? Map.of()
                : quota.getStatus().getHard();
        Map<String, Quantities.Sum> requested = ObjectUsage.of(group, resource, typed, hard.keySet());
        if (requested.isEmpty() || !scopesMatch(quota, typed)) {
            return Optional.empty();
        }
        String name = quota.getMetadata().getName();
        if (typed instanceof Pod pod) {
            PodConstraints.missing(pod, requested.keySet())
                    .ifPresent(missing -> {
                        throw new Refusal("failed quota: " + name + ": " + missing);
                    });
        }
        Map<String, Quantity> used = quota.getStatus().getUsed() == null ? Map.of() : quota.getStatus().getUsed();
        List<String> unknown = requested.keySet().stream().filter(r -> !used.containsKey(r)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new Refusal("status unknown for quota: " + name + ", resources: " + String.join(",", unknown));
        }
        if (requested.values().stream().allMatch(sum -> sum.amount().signum() == 0)) {
            return Optional.empty();
        }
        Map<String, Quantity> newUsed = new LinkedHashMap<>(used);
        Map<String, Quantities.Sum> exceeded = new TreeMap<>();
        requested.forEach((r, amount) -> {
            Quantities.Sum total = Quantities.Sum.of(used.get(r));
            total.add(amount);
            newUsed.put(r, new Quantity(total.text()));
            if (total.amount().compareTo(hard.get(r).getNumericalAmount()) > 0) {
                exceeded.put(r, amount);
            }
        });
        if (!exceeded.isEmpty()) {
            throw new Refusal("exceeded quota: " + name + ", requested: " + pretty(exceeded, r -> exceeded.get(r).text())
                    + ", used: " + pretty(exceeded, r -> canonical(used.get(r)))
                    + ", limited: " + pretty(exceeded, r -> canonical(hard.get(r))));
        }
        return Optional.of(newUsed);
    }

    /**
     * The quota's {@code status.used} with the object's charge given back (its create failed after it
     * was charged), or empty when the quota does not count it.
     */
    static Optional<Map<String, Quantity>> release(ResourceQuota quota, String group, String resource, Object typed) {
        Map<String, Quantity> hard = quota.getStatus() == null || quota.getStatus().getHard() == null ? Map.of()
                : quota.getStatus().getHard();
        Map<String, Quantity> used = quota.getStatus() == null || quota.getStatus().getUsed() == null ? Map.of()
                : quota.getStatus().getUsed();
        Map<String, Quantities.Sum> requested = ObjectUsage.of(group, resource, typed, hard.keySet());
        if (requested.isEmpty() || !scopesMatch(quota, typed)) {
            return Optional.empty();
        }
        Map<String, Quantity> newUsed = new LinkedHashMap<>(used);
        requested.forEach((r, amount) -> {
            if (used.containsKey(r)) {
                Quantities.Sum total = Quantities.Sum.of(used.get(r));
                total.subtract(amount);
                newUsed.put(r, new Quantity(total.text()));
            }
        });
        return Optional.of(newUsed);
    }

    private static boolean scopesMatch(ResourceQuota quota, Object typed) {
        QuotaScopes scopes = QuotaScopes.of(quota);
        // Only the pod evaluator knows scopes; a scoped quota counts nothing else.
        return typed instanceof Pod pod ? scopes.matches(pod) : !scopes.scoped();
    }

    private static String pretty(Map<String, ?> keys, Function<String, String> text) {
        return keys.keySet().stream().map(r -> r + "=" + text.apply(r)).collect(Collectors.joining(","));
    }

    private static String canonical(Quantity quantity) {
        return Quantities.Sum.of(quantity).text();
    }
}
