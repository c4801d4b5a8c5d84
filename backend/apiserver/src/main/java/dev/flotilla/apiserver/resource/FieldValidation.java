package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.crd.SchemaPruning;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.model.BuiltInSchemas;
import dev.flotilla.apiserver.model.ModelClasses;
import dev.flotilla.apiserver.model.UnknownFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code fieldValidation} query parameter: fields a kind does not have are always dropped (as
 * upstream's typed decoding does), and of fields named twice the last value is kept; {@code Strict} refuses the request with 400 naming them,
 * {@code Warn} (the default) reports them as Warning headers, {@code Ignore} says nothing. For custom
 * resources the CRD's schema decides (upstream's pruning).
 */
final class FieldValidation {

    enum Mode { IGNORE, WARN, STRICT }

    private FieldValidation() {
    }

    static Mode mode(ApiRequest request) {
        String value = request.queryParam("fieldValidation");
        if (value == null || value.isEmpty()) {
            return Mode.WARN;
        }
        return switch (value) {
            case "Ignore" -> Mode.IGNORE;
            case "Warn" -> Mode.WARN;
            case "Strict" -> Mode.STRICT;
            default -> throw ApiError.badRequest("invalid fieldValidation directive: " + value
                    + ": supported values are Ignore, Warn and Strict");
        };
    }

    /**
     * Drops unknown fields; returns the warnings to send (empty unless the mode is Warn). Fields the
     * request's body names twice count too (see {@link DuplicateFields}).
     */
    static List<String> check(ResourceType type, ObjectNode object, ApiRequest request) {
        Mode mode = mode(request);
        List<String> duplicates = mode == Mode.IGNORE ? List.of() : DuplicateFields.in(request);
        return check(type, object, mode, duplicates);
    }

    static List<String> check(ResourceType type, ObjectNode object, Mode mode, List<String> duplicates) {
        List<String> unknown;
        if (type.isCustom()) {
            // Custom resources have no model class: their CRD's structural schema says what is known.
            unknown = SchemaPruning.prune(object, type.custom().schema());
        } else if (BuiltInSchemas.of(type).isPresent()) {
            unknown = SchemaPruning.prune(object, BuiltInSchemas.of(type).get());
        } else {
            Optional<Class<?>> model = ModelClasses.find(type.group(), type.version(), type.kind());
            if (model.isEmpty()) {
                return List.of();
            }
            unknown = UnknownFields.prune(object, model.get());
            requireDecodable(type, object, model.get());
        }
        if ((unknown.isEmpty() && duplicates.isEmpty()) || mode == Mode.IGNORE) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        duplicates.forEach(path -> messages.add("duplicate field \"" + path + "\""));
        unknown.forEach(path -> messages.add("unknown field \"" + path + "\""));
        if (mode == Mode.STRICT) {
            throw ApiError.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                    + type.kind() + ": strict decoding error: " + String.join(", ", messages));
        }
        return messages;
    }

    /**
     * A value of the wrong type anywhere (a number where an object belongs, text for replicas) is a
     * 400, as upstream's typed decoding answers, before any kind rule looks at the object.
     */
    private static void requireDecodable(ResourceType type, ObjectNode object, Class<?> model) {
        try {
            Json.mapper().convertValue(object, model);
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage() == null ? "malformed object" : e.getMessage().split("\n")[0];
            throw ApiError.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                    + type.kind() + ": " + reason.replaceAll(" \\(class [^)]*\\)", ""));
        }
    }

    /** One Warning header value holding every warning, as RFC 7234's comma-separated list. */
    static String warningHeader(List<String> warnings) {
        return String.join(", ", warnings.stream()
                .map(w -> "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList());
    }
}
