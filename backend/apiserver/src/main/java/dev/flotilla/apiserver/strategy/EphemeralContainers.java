package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of {@code pods/ephemeralcontainers} (what {@code kubectl debug} writes): containers may
 * be added, never changed or removed; names are unique across all of the pod's containers; fields
 * that make no sense for a debugging container (ports, probes, lifecycle, resources, restart policy)
 * are forbidden; a target container must exist.
 */
public final class EphemeralContainers {

    private static final String PATH = "spec.ephemeralContainers";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final List<String> FORBIDDEN = List.of("ports", "lifecycle", "livenessProbe", "readinessProbe",
            "startupProbe", "resizePolicy", "restartPolicy");

    private EphemeralContainers() {
    }

    public static void applyDefaults(ObjectNode spec) {
        for (JsonNode container : spec.path("ephemeralContainers")) {
            if (container instanceof ObjectNode c) {
                Fields.defaultText(c, "terminationMessagePath", "/dev/termination-log");
                Fields.defaultText(c, "terminationMessagePolicy", "File");
                Fields.defaultText(c, "imagePullPolicy", PodDefaults.pullPolicy(c.path("image").asText("")));
            }
        }
    }

    public static List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        JsonNode spec = updated.path("spec");
        List<FieldError> errors = new ArrayList<>(validate(spec));
        Map<String, JsonNode> byName = new HashMap<>();
        spec.path("ephemeralContainers").forEach(c -> byName.put(c.path("name").asText(""), c));
        for (JsonNode existing : old.path("spec").path("ephemeralContainers")) {
            String name = existing.path("name").asText("");
            JsonNode now = byName.get(name);
            if (now == null) {
                errors.add(FieldError.forbidden(PATH, "existing ephemeral containers \"" + name
                        + "\" may not be removed\n"));
            } else if (!now.equals(existing)) {
                errors.add(FieldError.forbidden(PATH + "[" + name + "]", "existing ephemeral containers \"" + name
                        + "\" may not be changed\n"));
            }
        }
        return errors;
    }

    private static List<FieldError> validate(JsonNode spec) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> targets = new HashSet<>();
        for (String list : List.of("initContainers", "containers")) {
            spec.path(list).forEach(c -> {
                names.add(c.path("name").asText(""));
                targets.add(c.path("name").asText(""));
            });
        }
        JsonNode containers = spec.path("ephemeralContainers");
        for (int i = 0; i < containers.size(); i++) {
            JsonNode container = containers.get(i);
            String at = PATH + "[" + i + "]";
            String name = container.path("name").asText("");
            if (name.isEmpty()) {
                errors.add(FieldError.required(at + ".name", ""));
            } else if (!DNS_LABEL.matcher(name).matches() || name.length() > 63) {
                errors.add(FieldError.invalid(at + ".name", name, "a lowercase RFC 1123 label must consist of lower "
                        + "case alphanumeric characters or '-', and must start and end with an alphanumeric character "
                        + "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
            } else if (!names.add(name)) {
                errors.add(new FieldError(at + ".name", FieldError.Type.DUPLICATE, name, null));
            }
            if (container.path("image").asText("").isBlank()) {
                errors.add(FieldError.required(at + ".image", ""));
            }
            for (String field : FORBIDDEN) {
                if (isSet(container.get(field))) {
                    errors.add(FieldError.forbidden(at + "." + field, "cannot be set for an Ephemeral Container"));
                }
            }
            JsonNode resources = container.path("resources");
            if (isSet(resources.get("limits")) || isSet(resources.get("requests"))) {
                errors.add(FieldError.forbidden(at + ".resources", "cannot be set for an Ephemeral Container"));
            }
            String target = container.path("targetContainerName").asText("");
            if (!target.isEmpty() && !targets.contains(target)) {
                errors.add(FieldError.notFound(at + ".targetContainerName", target));
            }
        }
        return errors;
    }

    private static boolean isSet(JsonNode value) {
        return value != null && !value.isNull() && !(value.isContainerNode() && value.isEmpty());
    }
}
