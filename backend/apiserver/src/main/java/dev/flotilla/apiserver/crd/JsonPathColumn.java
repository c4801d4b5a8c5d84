package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset printer columns use ({@code .spec.replicas}, {@code .items[0].name},
 * {@code .items[*].name}, {@code .conditions[?(@.type=="Ready")].status}, an optional surrounding
 * {@code {}}): every value the path finds in an object, in order.
 */
public final class JsonPathColumn {

    private static final Pattern FILTER = Pattern.compile("\\?\\(@\\.([\\w.-]+)\\s*==\\s*[\"']?([^\"')]*)[\"']?\\)");

    private JsonPathColumn() {
    }

    public static List<JsonNode> find(JsonNode object, String path) {
        String expression = path.trim();
        if (expression.startsWith("{") && expression.endsWith("}")) {
            expression = expression.substring(1, expression.length() - 1).trim();
        }
        List<JsonNode> current = List.of(object);
        for (String step : steps(expression)) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                apply(node, step, next);
            }
            current = next;
        }
        return current;
    }

    /** Splits {@code .a.b[0].c[?(@.x=="y.z")]} into {@code a}, {@code b}, {@code [0]}, {@code c}, {@code [...]}. */
    private static List<String> steps(String expression) {
        List<String> steps = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '.' || c == '[') {
                if (!name.isEmpty()) {
                    steps.add(name.toString());
                    name.setLength(0);
                }
                if (c == '[') {
                    int end = expression.indexOf(']', i);
                    if (end < 0) {
                        break;
                    }
                    steps.add(expression.substring(i, end + 1));
                    i = end;
                }
            } else {
                name.append(c);
            }
        }
        if (!name.isEmpty()) {
            steps.add(name.toString());
        }
        return steps;
    }

    private static void apply(JsonNode node, String step, List<JsonNode> out) {
        if (!step.startsWith("[")) {
            JsonNode child = node.get(step);
            if (child != null && !child.isNull()) {
                out.add(child);
            }
            return;
        }
        String inner = step.substring(1, step.length() - 1).trim();
        if (!node.isArray()) {
            return;
        }
        if (inner.equals("*")) {
            node.forEach(out::add);
            return;
        }
        Matcher filter = FILTER.matcher(inner);
        if (filter.matches()) {
            for (JsonNode item : node) {
                List<JsonNode> value = find(item, "." + filter.group(1));
                if (!value.isEmpty() && value.get(0).asText().equals(filter.group(2))) {
                    out.add(item);
                }
            }
            return;
        }
        try {
            int index = Integer.parseInt(inner);
            JsonNode item = node.get(index < 0 ? node.size() + index : index);
            if (item != null) {
                out.add(item);
            }
        } catch (NumberFormatException e) {
            // not a form printer columns use: no value
        }
    }
}
