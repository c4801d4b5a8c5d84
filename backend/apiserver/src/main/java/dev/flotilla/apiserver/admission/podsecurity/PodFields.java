package dev.flotilla.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/** What the checks share: visiting every container, and upstream's ways of naming what they found. */
final class PodFields {

    private PodFields() {
    }

    /** Containers, init containers and ephemeral containers, as upstream's {@code visitContainers}. */
    static void visitContainers(JsonNode spec, Consumer<JsonNode> visitor) {
        for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
            spec.path(field).forEach(visitor);
        }
    }

    static String name(JsonNode container) {
        return container.path("name").asText("");
    }

    static JsonNode podContext(JsonNode spec) {
        return spec.path("securityContext");
    }

    static JsonNode context(JsonNode container) {
        return container.path("securityContext");
    }

    /** {@code "a", "b"}. */
    static String joinQuote(Collection<String> items) {
        List<String> quoted = new ArrayList<>(items.size());
        items.forEach(item -> quoted.add("\"" + item + "\""));
        return String.join(", ", quoted);
    }

    static String pluralize(String singular, String plural, int count) {
        return count == 1 ? singular : plural;
    }

    /** {@code container "a"} or {@code containers "a", "b"}. */
    static String containers(Collection<String> names) {
        return pluralize("container", "containers", names.size()) + " " + joinQuote(names);
    }

    /** Who set a bad value: {@code pod and containers "a", "b"}. */
    static String setters(boolean pod, List<String> containerNames) {
        List<String> parts = new ArrayList<>();
        if (pod) {
            parts.add("pod");
        }
        if (!containerNames.isEmpty()) {
            parts.add(containers(containerNames));
        }
        return String.join(" and ", parts);
    }

    /** A pod in its own user namespace ({@code hostUsers: false}), for which upstream relaxes the user checks. */
    static boolean userNamespaced(JsonNode spec) {
        JsonNode hostUsers = spec.get("hostUsers");
        return hostUsers != null && hostUsers.isBoolean() && !hostUsers.asBoolean();
    }
}
