package dev.flotilla.apiserver.admission.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream LimitRanger's validation of one LimitRange: every Container item against each container
 * and init container, every Pod item against the pod's total (containers summed, the largest init
 * container), every PersistentVolumeClaim item against a claim's storage request.
 */
final class LimitChecks {

    private LimitChecks() {
    }

    static List<String> pod(JsonNode pod, JsonNode limitRange) {
        List<String> violations = new ArrayList<>();
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            String type = item.path("type").asText();
            if (type.equals("Container")) {
                for (String list : List.of("containers", "initContainers")) {
                    for (JsonNode container : pod.path("spec").path(list)) {
                        JsonNode resources = container.path("resources");
                        Map<String, Quantity> limits = LimitConstraints.quantities(resources.path("limits"));
                        Map<String, Quantity> requests = LimitConstraints.quantities(resources.path("requests"));
                        limits.forEach(requests::putIfAbsent);
                        check(type, item, requests, limits, violations);
                    }
                }
            } else if (type.equals("Pod")) {
                check(type, item, total(pod, "requests"), total(pod, "limits"), violations);
            }
        }
        return violations;
    }

    static List<String> claim(JsonNode claim, JsonNode limitRange) {
        List<String> violations = new ArrayList<>();
        Map<String, Quantity> requests = LimitConstraints.quantities(claim.path("spec").path("resources").path("requests"));
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            String type = item.path("type").asText();
            if (type.equals("PersistentVolumeClaim")) {
                LimitConstraints.quantities(item.path("min")).forEach((resource, min) ->
                        LimitConstraints.min(type, resource, min, requests, Map.of()).ifPresent(violations::add));
                LimitConstraints.quantities(item.path("max")).forEach((resource, max) ->
                        LimitConstraints.maxRequest(type, resource, max, requests).ifPresent(violations::add));
            }
        }
        return violations;
    }

    private static void check(String type, JsonNode item, Map<String, Quantity> requests, Map<String, Quantity> limits,
            List<String> violations) {
        LimitConstraints.quantities(item.path("min")).forEach((resource, min) ->
                add(violations, LimitConstraints.min(type, resource, min, requests, limits)));
        LimitConstraints.quantities(item.path("max")).forEach((resource, max) ->
                add(violations, LimitConstraints.max(type, resource, max, requests, limits)));
        LimitConstraints.quantities(item.path("maxLimitRequestRatio")).forEach((resource, ratio) ->
                add(violations, LimitConstraints.ratio(type, resource, ratio, requests, limits)));
    }

    private static void add(List<String> violations, Optional<String> violation) {
        violation.ifPresent(violations::add);
    }

    /** The pod's total of one list: containers summed, then raised to any larger init container. */
    private static Map<String, Quantity> total(JsonNode pod, String list) {
        Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        Map<String, String> formats = new LinkedHashMap<>();
        for (JsonNode container : pod.path("spec").path("containers")) {
            quantitiesOf(container, list).forEach((name, q) -> {
                amounts.merge(name, q.getNumericalAmount(), BigDecimal::add);
                formats.putIfAbsent(name, q.getFormat());
            });
        }
        for (JsonNode container : pod.path("spec").path("initContainers")) {
            quantitiesOf(container, list).forEach((name, q) -> {
                amounts.merge(name, q.getNumericalAmount(), BigDecimal::max);
                formats.putIfAbsent(name, q.getFormat());
            });
        }
        Map<String, Quantity> total = new LinkedHashMap<>();
        amounts.forEach((name, amount) -> total.put(name, new Quantity(
                dev.flotilla.api.quota.Quantities.format(amount, String.valueOf(formats.get(name)).endsWith("i")))));
        return total;
    }

    private static Map<String, Quantity> quantitiesOf(JsonNode container, String list) {
        JsonNode resources = container.path("resources");
        Map<String, Quantity> quantities = LimitConstraints.quantities(resources.path(list));
        if (list.equals("requests")) {
            LimitConstraints.quantities(resources.path("limits")).forEach(quantities::putIfAbsent);
        }
        return quantities;
    }
}
