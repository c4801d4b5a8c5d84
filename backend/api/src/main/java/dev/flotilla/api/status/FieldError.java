package dev.flotilla.api.status;

import io.fabric8.kubernetes.api.model.StatusCause;

/**
 * One validation problem at one field path ({@code spec.containers[0].image}), worded as upstream's
 * field errors ({@code Required value}, {@code Invalid value: "x": <detail>}).
 */
public record FieldError(String field, Type type, Object badValue, String detail) {

    /** A value already rendered the way Go prints it ({@code map[string]string{...}}), shown unquoted. */
    public record GoValue(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        NOT_FOUND("FieldValueNotFound", "Not found"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many"),
        IMMUTABLE("FieldValueInvalid", "Invalid value");

        private final String reason;
        private final String summary;

        Type(String reason, String summary) {
            this.reason = reason;
            this.summary = summary;
        }
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(field, Type.REQUIRED, null, detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(field, Type.INVALID, value, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(field, Type.FORBIDDEN, null, detail);
    }

    public static FieldError notFound(String field, Object value) {
        return new FieldError(field, Type.NOT_FOUND, value, null);
    }

    public static FieldError immutable(String field, Object value) {
        return new FieldError(field, Type.IMMUTABLE, value, "field is immutable");
    }

    public static FieldError notSupported(String field, Object value, java.util.List<String> supported) {
        return new FieldError(field, Type.NOT_SUPPORTED, value,
                "supported values: " + String.join(", ", supported.stream().map(s -> "\"" + s + "\"").toList()));
    }

    /** The cause message without the field: {@code Invalid value: "Foo": a lowercase RFC 1123 ...}. */
    public String message() {
        StringBuilder text = new StringBuilder(type.summary);
        if (badValue != null && (type == Type.INVALID || type == Type.NOT_SUPPORTED || type == Type.IMMUTABLE
                || type == Type.DUPLICATE || type == Type.TOO_MANY || type == Type.NOT_FOUND)) {
            text.append(": ").append(render(badValue));
        }
        if (detail != null && !detail.isEmpty()) {
            text.append(": ").append(detail);
        }
        return text.toString();
    }

    /** Strings are quoted, numbers, booleans and Go-rendered values are not, as Go's %#v does. */
    private static String render(Object value) {
        if (value instanceof Number || value instanceof Boolean || value instanceof GoValue) {
            return String.valueOf(value);
        }
        return "\"" + value + "\"";
    }

    StatusCause toCause() {
        return new StatusCause(field, message(), type.reason);
    }

    @Override
    public String toString() {
        return field + ": " + message();
    }
}
