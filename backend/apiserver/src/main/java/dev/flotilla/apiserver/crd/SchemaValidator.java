package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.status.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a custom resource against its CRD's structural schema (openAPIV3Schema) and words every
 * problem as upstream does: {@code spec.replicas: Invalid value: "string": spec.replicas in body must
 * be of type integer: "string"}, {@code spec.name: Required value}, {@code spec.color: Unsupported
 * value: ...}. All problems are collected, each with its field path.
 */
public final class SchemaValidator {

    private SchemaValidator() {
    }

    /** Every problem of {@code object} (a whole custom resource) against {@code schema}; metadata is not checked here. */
    public static List<FieldError> validate(JsonNode object, JsonNode schema) {
        List<FieldError> errors = new ArrayList<>();
        if (schema == null || schema.isNull() || !object.isObject()) {
            return errors;
        }
        JsonNode properties = schema.path("properties");
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("metadata") || name.equals("apiVersion") || name.equals("kind")) {
                continue;
            }
            JsonNode child = properties.get(name);
            if (child != null) {
                check(field.getValue(), child, name, errors);
            }
        }
        for (JsonNode required : schema.path("required")) {
            String name = required.asText();
            if (!name.equals("metadata") && !object.has(name)) {
                errors.add(FieldError.required(name, ""));
            }
        }
        return errors;
    }

    static void check(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
                errors.add(typeError(path, "null", schema.path("type").asText()));
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                errors.add(FieldError.invalid(path, typeName(value),
                        path + " in body must be of type integer,string: \"" + typeName(value) + "\""));
                return;
            }
        } else if (schema.has("type") && !hasType(value, schema.path("type").asText())) {
            errors.add(typeError(path, typeName(value), schema.path("type").asText()));
            return;
        }
        checkEnum(value, schema, path, errors);
        if (value.isNumber()) {
            checkNumber(value, schema, path, errors);
        } else if (value.isTextual()) {
            checkString(value.asText(), schema, path, errors);
        } else if (value.isArray()) {
            checkArray(value, schema, path, errors);
        } else if (value.isObject()) {
            checkObject(value, schema, path, errors);
        }
        for (JsonNode part : schema.path("allOf")) {
            check(value, part, path, errors);
        }
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode part : schema.path("anyOf")) {
                List<FieldError> partErrors = new ArrayList<>();
                check(value, part, path, partErrors);
                any |= partErrors.isEmpty();
            }
            if (!any) {
                errors.add(FieldError.invalid(path, value.isTextual() ? value.asText() : value.toString(),
                        "\"" + path + "\" must validate at least one schema (anyOf)"));
            }
        }
    }

    private static void checkEnum(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        JsonNode allowed = schema.get("enum");
        if (allowed == null || !allowed.isArray()) {
            return;
        }
        for (JsonNode candidate : allowed) {
            if (candidate.equals(value) || candidate.isNumber() && value.isNumber()
                    && candidate.decimalValue().compareTo(value.decimalValue()) == 0) {
                return;
            }
        }
        List<String> supported = new ArrayList<>();
        allowed.forEach(v -> supported.add(v.isTextual() ? "\"" + v.asText() + "\"" : v.toString()));
        errors.add(new FieldError(path, FieldError.Type.NOT_SUPPORTED, badValue(value),
                "supported values: " + String.join(", ", supported)));
    }

    private static void checkNumber(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        double number = value.asDouble();
        JsonNode minimum = schema.get("minimum");
        if (minimum != null) {
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            if (exclusive ? number <= minimum.asDouble() : number < minimum.asDouble()) {
                errors.add(FieldError.invalid(path, badValue(value), path + " in body should be greater than "
                        + (exclusive ? "" : "or equal to ") + render(minimum)));
            }
        }
        JsonNode maximum = schema.get("maximum");
        if (maximum != null) {
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            if (exclusive ? number >= maximum.asDouble() : number > maximum.asDouble()) {
                errors.add(FieldError.invalid(path, badValue(value), path + " in body should be less than "
                        + (exclusive ? "" : "or equal to ") + render(maximum)));
            }
        }
        JsonNode multipleOf = schema.get("multipleOf");
        if (multipleOf != null && multipleOf.asDouble() != 0) {
            double quotient = number / multipleOf.asDouble();
            if (Math.abs(quotient - Math.rint(quotient)) > 1e-9) {
                errors.add(FieldError.invalid(path, badValue(value), path + " in body should be a multiple of "
                        + render(multipleOf)));
            }
        }
        String format = schema.path("format").asText("");
        if (format.equals("int32") && value.isIntegralNumber() && !value.canConvertToInt()) {
            errors.add(typeError(path, value.asText(), "int32"));
        }
    }

    private static void checkString(String text, JsonNode schema, String path, List<FieldError> errors) {
        int length = text.codePointCount(0, text.length());
        JsonNode minLength = schema.get("minLength");
        if (minLength != null && length < minLength.asLong()) {
            errors.add(FieldError.invalid(path, text, path + " in body should be at least " + minLength.asLong()
                    + " chars long"));
        }
        JsonNode maxLength = schema.get("maxLength");
        if (maxLength != null && length > maxLength.asLong()) {
            errors.add(new FieldError(path, FieldError.Type.TOO_LONG, null,
                    "may not be more than " + maxLength.asLong() + " bytes"));
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && !matches(pattern.asText(), text)) {
            errors.add(FieldError.invalid(path, text, path + " in body should match '" + pattern.asText() + "'"));
        }
        String format = schema.path("format").asText("");
        if (!format.isEmpty() && !Formats.valid(format, text)) {
            errors.add(typeError(path, text, format));
        }
    }

    private static void checkArray(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        JsonNode minItems = schema.get("minItems");
        if (minItems != null && value.size() < minItems.asLong()) {
            errors.add(FieldError.invalid(path, value.size(), path + " in body should have at least "
                    + minItems.asLong() + " items"));
        }
        JsonNode maxItems = schema.get("maxItems");
        if (maxItems != null && value.size() > maxItems.asLong()) {
            errors.add(new FieldError(path, FieldError.Type.TOO_MANY, value.size(),
                    "must have at most " + maxItems.asLong() + " items"));
        }
        if (schema.path("uniqueItems").asBoolean(false)
                || "set".equals(schema.path("x-kubernetes-list-type").asText(""))) {
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < value.size(); i++) {
                if (!seen.add(value.get(i))) {
                    errors.add(new FieldError(path + "[" + i + "]", FieldError.Type.DUPLICATE, badValue(value.get(i)),
                            null));
                }
            }
        }
        JsonNode items = schema.get("items");
        if (items != null && items.isObject()) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), items, path + "[" + i + "]", errors);
            }
        }
    }

    private static void checkObject(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode child = properties.get(field.getKey());
            if (child != null) {
                check(field.getValue(), child, path + "." + field.getKey(), errors);
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, path + "." + field.getKey(), errors);
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(FieldError.required(path + "." + required.asText(), ""));
            }
        }
        if (schema.path("x-kubernetes-embedded-resource").asBoolean(false)) {
            for (String field : List.of("apiVersion", "kind")) {
                if (value.path(field).asText("").isEmpty()) {
                    errors.add(FieldError.required(path + "." + field, "must not be empty"));
                }
            }
        }
        JsonNode minProperties = schema.get("minProperties");
        if (minProperties != null && value.size() < minProperties.asLong()) {
            errors.add(FieldError.invalid(path, value.size(), path + " in body should have at least "
                    + minProperties.asLong() + " properties"));
        }
        JsonNode maxProperties = schema.get("maxProperties");
        if (maxProperties != null && value.size() > maxProperties.asLong()) {
            errors.add(new FieldError(path, FieldError.Type.TOO_MANY, value.size(),
                    "must have at most " + maxProperties.asLong() + " items"));
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber()
                    || value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble());
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    /** The JSON type of a value as upstream's errors name it. */
    static String typeName(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return "null";
    }

    private static FieldError typeError(String path, String actual, String expected) {
        return FieldError.invalid(path, actual, path + " in body must be of type " + expected + ": \"" + actual + "\"");
    }

    private static Object badValue(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return new FieldError.GoValue(value.toString());
    }

    private static String render(JsonNode number) {
        return number.isIntegralNumber() || number.asDouble() == Math.rint(number.asDouble())
                ? Long.toString(number.asLong()) : number.asText();
    }

    private static boolean matches(String pattern, String text) {
        try {
            return Pattern.compile(pattern).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return true;
        }
    }
}
