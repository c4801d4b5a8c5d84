package dev.flotilla.apiserver.resource;

import dev.flotilla.api.status.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Upstream's object name, label and annotation rules, with upstream's wording. */
public final class NameValidation {

    private static final String SUBDOMAIN_RE = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_RE);
    private static final String LABEL_RE = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS_LABEL = Pattern.compile(LABEL_RE);
    private static final String DNS1035_RE = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1035 = Pattern.compile(DNS1035_RE);
    private static final String QUALIFIED_NAME_RE = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_RE);
    private static final String LABEL_VALUE_RE = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_RE);
    private static final int TOTAL_ANNOTATION_BYTES = 256 * 1024;

    /** How names of a kind are checked. */
    public enum NameRule { SUBDOMAIN, DNS_LABEL, DNS1035_LABEL, PATH_SEGMENT }

    private NameValidation() {
    }

    public static List<String> nameProblems(String name, NameRule rule) {
        List<String> problems = new ArrayList<>();
        switch (rule) {
            case SUBDOMAIN -> {
                if (name.length() > 253) {
                    problems.add("must be no more than 253 characters");
                }
                if (!SUBDOMAIN.matcher(name).matches()) {
                    problems.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                            + "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
                            + "regex used for validation is '" + SUBDOMAIN_RE + "')");
                }
            }
            case DNS_LABEL -> {
                if (name.length() > 63) {
                    problems.add("must be no more than 63 characters");
                }
                if (!DNS_LABEL.matcher(name).matches()) {
                    problems.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
                            + "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                            + "'123-abc', regex used for validation is '" + LABEL_RE + "')");
                }
            }
            case DNS1035_LABEL -> {
                if (name.length() > 63) {
                    problems.add("must be no more than 63 characters");
                }
                if (!DNS1035.matcher(name).matches()) {
                    problems.add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
                            + "with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  "
                            + "or 'abc-123', regex used for validation is '" + DNS1035_RE + "')");
                }
            }
            case PATH_SEGMENT -> {
                if (name.equals(".") || name.equals("..")) {
                    problems.add("may not be '" + name + "'");
                }
                for (String bad : List.of("/", "%")) {
                    if (name.contains(bad)) {
                        problems.add("may not contain '" + bad + "'");
                    }
                }
            }
        }
        return problems;
    }

    public static List<FieldError> labels(Map<String, String> labels, String field) {
        List<FieldError> errors = new ArrayList<>();
        labels.forEach((key, value) -> {
            errors.addAll(qualifiedName(key, field));
            if (value.length() > 63) {
                errors.add(FieldError.invalid(field, value, "must be no more than 63 characters"));
            }
            if (!LABEL_VALUE.matcher(value).matches()) {
                errors.add(FieldError.invalid(field, value, "a valid label must be an empty string or consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                        + "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '"
                        + LABEL_VALUE_RE + "')"));
            }
        });
        return errors;
    }

    public static List<FieldError> annotations(Map<String, String> annotations, String field) {
        List<FieldError> errors = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, String> entry : annotations.entrySet()) {
            errors.addAll(qualifiedName(entry.getKey().toLowerCase(java.util.Locale.ROOT), field));
            total += entry.getKey().length() + entry.getValue().length();
        }
        if (total > TOTAL_ANNOTATION_BYTES) {
            errors.add(new FieldError(field, FieldError.Type.TOO_LONG, null, "may not be more than "
                    + TOTAL_ANNOTATION_BYTES + " bytes"));
        }
        return errors;
    }

    /** A label or annotation key: optional DNS subdomain prefix and '/', then a name of up to 63 characters. */
    static List<FieldError> qualifiedName(String key, String field) {
        List<FieldError> errors = new ArrayList<>();
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()) {
                errors.add(FieldError.invalid(field, key, "prefix part must be non-empty"));
            } else {
                nameProblems(prefix, NameRule.SUBDOMAIN).forEach(p -> errors.add(FieldError.invalid(field, key,
                        "prefix part " + p)));
            }
        }
        if (name.isEmpty()) {
            errors.add(FieldError.invalid(field, key, "name part must be non-empty"));
        } else {
            if (name.length() > 63) {
                errors.add(FieldError.invalid(field, key, "name part must be no more than 63 characters"));
            }
            if (!QUALIFIED_NAME.matcher(name).matches()) {
                errors.add(FieldError.invalid(field, key, "name part must consist of alphanumeric characters, '-', "
                        + "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                        + "'my.name',  or '123-abc', regex used for validation is '" + QUALIFIED_NAME_RE + "')"));
            }
        }
        return errors;
    }
}
