package dev.flotilla.apiserver.admission.limits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.quota.Quantities;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream LimitRanger's min, max and maxLimitRequestRatio checks of one resource, worded as
 * upstream words them ({@code maximum cpu usage per Container is 500m, but limit is 1}).
 * Requests and limits are maps of resource name to quantity text.
 */
final class LimitConstraints {

    private LimitConstraints() {
    }

    static Optional<String> min(String limitType, String resource, Quantity enforced, Map<String, Quantity> requests,
            Map<String, Quantity> limits) {
        Quantity request = requests.get(resource);
        Quantity limit = limits.get(resource);
        if (request == null) {
            return Optional.of(usage("minimum", resource, limitType, enforced) + ".  No request is specified");
        }
        if (milli(request).compareTo(milli(enforced)) < 0) {
            return Optional.of(usage("minimum", resource, limitType, enforced) + ", but request is " + text(request));
        }
        if (limit != null && milli(limit).compareTo(milli(enforced)) < 0) {
            return Optional.of(usage("minimum", resource, limitType, enforced) + ", but limit is " + text(limit));
        }
        return Optional.empty();
    }

    static Optional<String> max(String limitType, String resource, Quantity enforced, Map<String, Quantity> requests,
            Map<String, Quantity> limits) {
        Quantity request = requests.get(resource);
        Quantity limit = limits.get(resource);
        if (limit == null) {
            return Optional.of(usage("maximum", resource, limitType, enforced) + ".  No limit is specified");
        }
        if (milli(limit).compareTo(milli(enforced)) > 0) {
            return Optional.of(usage("maximum", resource, limitType, enforced) + ", but limit is " + text(limit));
        }
        if (request != null && milli(request).compareTo(milli(enforced)) > 0) {
            return Optional.of(usage("maximum", resource, limitType, enforced) + ", but request is " + text(request));
        }
        return Optional.empty();
    }

    /** A claim has requests only: its max is checked against the request. */
    static Optional<String> maxRequest(String limitType, String resource, Quantity enforced,
            Map<String, Quantity> requests) {
        Quantity request = requests.get(resource);
        if (request == null) {
            return Optional.of(usage("maximum", resource, limitType, enforced) + ".  No request is specified");
        }
        if (milli(request).compareTo(milli(enforced)) > 0) {
            return Optional.of(usage("maximum", resource, limitType, enforced) + ", but request is " + text(request));
        }
        return Optional.empty();
    }

    static Optional<String> ratio(String limitType, String resource, Quantity enforced, Map<String, Quantity> requests,
            Map<String, Quantity> limits) {
        Quantity request = requests.get(resource);
        Quantity limit = limits.get(resource);
        String prefix = resource + " max limit to request ratio per " + limitType + " is " + text(enforced);
        if (request == null || milli(request).signum() == 0) {
            return Optional.of(prefix + ", but no request is specified or request is 0");
        }
        if (limit == null || milli(limit).signum() == 0) {
            return Optional.of(prefix + ", but no limit is specified or limit is 0");
        }
        double observed = milli(limit).doubleValue() / milli(request).doubleValue();
        if (observed * 1000 > milli(enforced).doubleValue()) {
            return Optional.of(prefix + ", but provided ratio is " + String.format(Locale.ROOT, "%f", observed));
        }
        return Optional.empty();
    }

    private static String usage(String bound, String resource, String limitType, Quantity enforced) {
        return bound + " " + resource + " usage per " + limitType + " is " + text(enforced);
    }

    /** Upstream's canonical text of a quantity ({@code 0.5} is {@code 500m}, {@code 1024Mi} is {@code 1Gi}). */
    static String text(Quantity quantity) {
        String format = quantity.getFormat() == null ? "" : quantity.getFormat();
        return Quantities.format(quantity.getNumericalAmount(), format.endsWith("i"));
    }

    /** Compared in thousandths rounded up, as upstream's MilliValue. */
    private static BigDecimal milli(Quantity quantity) {
        return quantity.getNumericalAmount().movePointRight(3).setScale(0, RoundingMode.CEILING);
    }

    static Map<String, Quantity> quantities(JsonNode list) {
        Map<String, Quantity> result = new java.util.LinkedHashMap<>();
        list.fields().forEachRemaining(entry -> {
            try {
                result.put(entry.getKey(), Quantity.parse(entry.getValue().asText()));
            } catch (IllegalArgumentException e) {
                // Not a quantity: the pod's own validation answers 422 for it.
            }
        });
        return result;
    }

    static List<String> names(JsonNode list) {
        List<String> names = new java.util.ArrayList<>();
        list.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
