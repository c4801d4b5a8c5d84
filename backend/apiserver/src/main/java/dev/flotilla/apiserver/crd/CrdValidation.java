package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.resource.NameValidation;
import dev.flotilla.apiserver.resource.NameValidation.NameRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules a CustomResourceDefinition itself must follow, worded as upstream's validation: names,
 * group and the {@code <plural>.<group>} object name, scope, exactly one storage version, at least one
 * served version, structural schemas, subresources, printer columns and the conversion strategy.
 */
final class CrdValidation {

    private static final List<String> COLUMN_TYPES = List.of("integer", "number", "string", "boolean", "date");
    private static final Set<String> SCHEMA_TYPES = Set.of("object", "array", "string", "integer", "number",
            "boolean");

    private CrdValidation() {
    }

    static List<FieldError> validate(JsonNode crd) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText("");
        String plural = spec.path("names").path("plural").asText("");
        String name = crd.path("metadata").path("name").asText("");
        if (!name.isEmpty() && !name.equals(plural + "." + group)) {
            errors.add(FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }
        if (group.isEmpty()) {
            errors.add(FieldError.required("spec.group", ""));
        } else if (!group.contains(".")) {
            errors.add(FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
        } else {
            NameValidation.nameProblems(group, NameRule.SUBDOMAIN)
                    .forEach(p -> errors.add(FieldError.invalid("spec.group", group, p)));
        }
        String scope = spec.path("scope").asText("");
        if (scope.isEmpty()) {
            errors.add(FieldError.required("spec.scope", ""));
        } else if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
            errors.add(FieldError.notSupported("spec.scope", scope, List.of("Cluster", "Namespaced")));
        }
        names(spec.path("names"), "spec.names", errors);
        versions(spec.path("versions"), errors);
        String strategy = spec.path("conversion").path("strategy").asText("None");
        if (!strategy.equals("None")) {
            errors.add(new FieldError("spec.conversion.strategy", FieldError.Type.NOT_SUPPORTED, strategy,
                    "supported values: \"None\" (this server does not call conversion webhooks)"));
        }
        return errors;
    }

    /** The rules of an update: the create rules, plus group and scope are fixed and stored versions stay declared. */
    static List<FieldError> validateUpdate(JsonNode updated, JsonNode old) {
        List<FieldError> errors = validate(updated);
        for (String field : List.of("group", "scope")) {
            String was = old.path("spec").path(field).asText("");
            String now = updated.path("spec").path(field).asText("");
            if (!was.equals(now)) {
                errors.add(FieldError.immutable("spec." + field, now));
            }
        }
        Set<String> declared = new HashSet<>();
        updated.path("spec").path("versions").forEach(v -> declared.add(v.path("name").asText()));
        JsonNode stored = updated.path("status").path("storedVersions");
        for (int i = 0; i < stored.size(); i++) {
            if (!declared.contains(stored.get(i).asText())) {
                errors.add(FieldError.invalid("status.storedVersions[" + i + "]", stored.get(i).asText(),
                        "must appear in spec.versions"));
            }
        }
        return errors;
    }

    private static void names(JsonNode names, String path, List<FieldError> errors) {
        for (String field : List.of("plural", "singular")) {
            String value = names.path(field).asText("");
            if (value.isEmpty()) {
                if (field.equals("plural")) {
                    errors.add(FieldError.required(path + "." + field, ""));
                }
                continue;
            }
            NameValidation.nameProblems(value, NameRule.DNS1035_LABEL)
                    .forEach(p -> errors.add(FieldError.invalid(path + "." + field, value, p)));
        }
        for (String field : List.of("kind", "listKind")) {
            String value = names.path(field).asText("");
            if (value.isEmpty()) {
                if (field.equals("kind")) {
                    errors.add(FieldError.required(path + "." + field, ""));
                }
                continue;
            }
            if (!NameValidation.nameProblems(value.toLowerCase(Locale.ROOT), NameRule.DNS1035_LABEL).isEmpty()) {
                errors.add(FieldError.invalid(path + "." + field, value,
                        "may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?"));
            }
        }
        String kind = names.path("kind").asText("");
        if (!kind.isEmpty() && kind.equals(names.path("listKind").asText(""))) {
            errors.add(FieldError.invalid(path + ".listKind", kind, "kind and listKind cannot be the same"));
        }
        JsonNode shortNames = names.path("shortNames");
        for (int i = 0; i < shortNames.size(); i++) {
            String value = shortNames.get(i).asText();
            int index = i;
            NameValidation.nameProblems(value, NameRule.DNS1035_LABEL)
                    .forEach(p -> errors.add(FieldError.invalid(path + ".shortNames[" + index + "]", value, p)));
        }
    }

    private static void versions(JsonNode versions, List<FieldError> errors) {
        if (!versions.isArray() || versions.isEmpty()) {
            errors.add(FieldError.required("spec.versions", "must have exactly one version marked as storage version"));
            return;
        }
        int storage = 0;
        int served = 0;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < versions.size(); i++) {
            JsonNode version = versions.get(i);
            String path = "spec.versions[" + i + "]";
            String name = version.path("name").asText("");
            if (name.isEmpty()) {
                errors.add(FieldError.required(path + ".name", ""));
            } else if (!names.add(name)) {
                errors.add(new FieldError(path + ".name", FieldError.Type.DUPLICATE, name, null));
            } else {
                NameValidation.nameProblems(name, NameRule.DNS1035_LABEL)
                        .forEach(p -> errors.add(FieldError.invalid(path + ".name", name, p)));
            }
            storage += version.path("storage").asBoolean(false) ? 1 : 0;
            served += version.path("served").asBoolean(false) ? 1 : 0;
            schema(version.path("schema").get("openAPIV3Schema"), path + ".schema.openAPIV3Schema", errors);
            subresources(version.path("subresources"), path + ".subresources", errors);
            columns(version.path("additionalPrinterColumns"), path + ".additionalPrinterColumns", errors);
        }
        String summary = "[" + String.join(", ", versionNames(versions)) + "]";
        if (storage != 1) {
            errors.add(FieldError.invalid("spec.versions", new FieldError.GoValue(summary),
                    "must have exactly one version marked as storage version"));
        }
        if (served == 0) {
            errors.add(FieldError.invalid("spec.versions", new FieldError.GoValue(summary),
                    "must have at least one version marked as served"));
        }
    }

    private static List<String> versionNames(JsonNode versions) {
        List<String> names = new ArrayList<>();
        versions.forEach(v -> names.add(v.path("name").asText("")));
        return names;
    }

    private static void schema(JsonNode schema, String path, List<FieldError> errors) {
        if (schema == null || schema.isNull()) {
            errors.add(FieldError.required(path, "schemas are required"));
            return;
        }
        if (!"object".equals(schema.path("type").asText(""))) {
            errors.add(schema.path("type").asText("").isEmpty()
                    ? FieldError.required(path + ".type", "must not be empty at the root")
                    : FieldError.invalid(path + ".type", schema.path("type").asText(), "must be object at the root"));
        }
        structural(schema, path, true, errors);
    }

    /** Structural schema basics: every specified field has a known type, unless it is int-or-string or preserved. */
    private static void structural(JsonNode schema, String path, boolean root, List<FieldError> errors) {
        String type = schema.path("type").asText("");
        boolean open = schema.path("x-kubernetes-int-or-string").asBoolean(false)
                || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (type.isEmpty() && !open && !root) {
            errors.add(FieldError.required(path + ".type", "must not be empty for specified object fields"));
        } else if (!type.isEmpty() && !SCHEMA_TYPES.contains(type)) {
            errors.add(FieldError.notSupported(path + ".type", type, List.of("array", "boolean", "integer", "number",
                    "object", "string")));
        }
        if (type.equals("array") && !schema.has("items")) {
            errors.add(FieldError.required(path + ".items", "must be specified"));
        }
        if (schema.has("properties") && schema.path("additionalProperties").isObject()) {
            errors.add(FieldError.forbidden(path + ".additionalProperties",
                    "additionalProperties and properties are mutual exclusive"));
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null) {
            try {
                java.util.regex.Pattern.compile(pattern.asText());
            } catch (java.util.regex.PatternSyntaxException e) {
                errors.add(FieldError.invalid(path + ".pattern", pattern.asText(), "must be a valid regular expression"));
            }
        }
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            structural(property.getValue(), path + ".properties[" + property.getKey() + "]", false, errors);
        }
        if (schema.path("items").isObject()) {
            structural(schema.path("items"), path + ".items", false, errors);
        }
        if (schema.path("additionalProperties").isObject()) {
            structural(schema.path("additionalProperties"), path + ".additionalProperties", false,
                    errors);
        }
    }

    private static void subresources(JsonNode subresources, String path, List<FieldError> errors) {
        JsonNode scale = subresources.get("scale");
        if (scale == null) {
            return;
        }
        String spec = scale.path("specReplicasPath").asText("");
        if (spec.isEmpty()) {
            errors.add(FieldError.required(path + ".scale.specReplicasPath", ""));
        } else if (!spec.startsWith(".spec.")) {
            errors.add(FieldError.invalid(path + ".scale.specReplicasPath", spec, "should be a json path under .spec"));
        }
        String status = scale.path("statusReplicasPath").asText("");
        if (status.isEmpty()) {
            errors.add(FieldError.required(path + ".scale.statusReplicasPath", ""));
        } else if (!status.startsWith(".status.")) {
            errors.add(FieldError.invalid(path + ".scale.statusReplicasPath", status,
                    "should be a json path under .status"));
        }
        String selector = scale.path("labelSelectorPath").asText("");
        if (!selector.isEmpty() && !selector.startsWith(".spec.") && !selector.startsWith(".status.")) {
            errors.add(FieldError.invalid(path + ".scale.labelSelectorPath", selector,
                    "should be a json path under either .spec or .status"));
        }
    }

    private static void columns(JsonNode columns, String path, List<FieldError> errors) {
        for (int i = 0; i < columns.size(); i++) {
            JsonNode column = columns.get(i);
            String at = path + "[" + i + "]";
            if (column.path("name").asText("").isEmpty()) {
                errors.add(FieldError.required(at + ".name", ""));
            }
            String type = column.path("type").asText("");
            if (type.isEmpty()) {
                errors.add(FieldError.required(at + ".type", ""));
            } else if (!COLUMN_TYPES.contains(type)) {
                errors.add(FieldError.notSupported(at + ".type", type, COLUMN_TYPES));
            }
            if (column.path("jsonPath").asText("").isEmpty()) {
                errors.add(FieldError.required(at + ".jsonPath", ""));
            }
            if (column.path("priority").asInt(0) < 0) {
                errors.add(FieldError.invalid(at + ".priority", column.path("priority").asInt(),
                        "must be greater than or equal to 0"));
            }
        }
    }
}
