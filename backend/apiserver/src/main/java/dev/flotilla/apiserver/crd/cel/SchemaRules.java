package dev.flotilla.apiserver.crd.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.resource.ValidationRules;
import dev.flotilla.api.status.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The compiled rules of one schema node and of the nodes below it that have rules. Validating walks
 * an object (and on update the object it replaces) along the schema as upstream's CEL validator does:
 * rules run on every non-null value; {@code oldSelf} is the old value at the same place (object
 * properties and map entries by name, items of {@code x-kubernetes-list-type: map} lists by their
 * keys); a rule using {@code oldSelf} is skipped where there is no old value (unless
 * {@code optionalOldSelf}); and, as upstream's validation ratcheting, a rule without {@code oldSelf}
 * is not re-checked on a value the update left as it was. All rules of one object share a cost
 * budget.
 */
public final class SchemaRules implements ValidationRules {

    private final JsonNode schema;
    private final boolean root;
    private final List<CompiledRule> rules;
    private final Map<String, SchemaRules> properties;
    private final SchemaRules items;
    private final SchemaRules additional;
    private final RuleLimits limits;

    SchemaRules(JsonNode schema, boolean root, List<CompiledRule> rules, Map<String, SchemaRules> properties,
            SchemaRules items, SchemaRules additional, RuleLimits limits) {
        this.schema = schema;
        this.root = root;
        this.rules = List.copyOf(rules);
        this.properties = Map.copyOf(properties);
        this.items = items;
        this.additional = additional;
        this.limits = limits;
    }

    @Override
    public List<FieldError> validate(JsonNode object, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        walk(object, old, "", new Budget(limits.perObject(),
                System.nanoTime() + limits.timeoutMillis() * 1_000_000L), errors);
        return errors;
    }

    /** The budget left to the object's remaining rules; negative once evaluation must stop. */
    static final class Budget {
        long remaining;
        final long deadline;

        Budget(long remaining, long deadline) {
            this.remaining = remaining;
            this.deadline = deadline;
        }

        boolean exhausted() {
            return remaining < 0;
        }
    }

    private void walk(JsonNode value, JsonNode old, String path, Budget budget, List<FieldError> errors) {
        if (value == null || value.isNull() || value.isMissingNode() || budget.exhausted()) {
            return;
        }
        if (old != null && (old.isNull() || old.isMissingNode())) {
            old = null;
        }
        if (!rules.isEmpty()) {
            new RuleEvaluation(this, value, old, path.isEmpty() ? "<nil>" : path, limits, budget).run(errors);
        }
        if (value.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext() && !budget.exhausted()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode oldField = old == null ? null : old.get(field.getKey());
                SchemaRules child = properties.get(field.getKey());
                if (child != null) {
                    child.walk(field.getValue(), oldField, path.isEmpty() ? field.getKey()
                            : path + "." + field.getKey(), budget, errors);
                } else if (additional != null && !schema.path("properties").has(field.getKey())) {
                    additional.walk(field.getValue(), oldField, path + "[" + field.getKey() + "]", budget, errors);
                }
            }
        } else if (value.isArray() && items != null) {
            for (int i = 0; i < value.size() && !budget.exhausted(); i++) {
                items.walk(value.get(i), oldItem(value.get(i), old), path + "[" + i + "]", budget, errors);
            }
        }
    }

    /** The old item an item replaces: only items of map-type lists correlate, by their keys. */
    private JsonNode oldItem(JsonNode item, JsonNode old) {
        if (old == null || !old.isArray() || !"map".equals(schema.path("x-kubernetes-list-type").asText(""))) {
            return null;
        }
        JsonNode keys = schema.path("x-kubernetes-list-map-keys");
        for (JsonNode candidate : old) {
            boolean same = true;
            for (JsonNode key : keys) {
                same &= candidate.path(key.asText()).equals(item.path(key.asText()));
            }
            if (same) {
                return candidate;
            }
        }
        return null;
    }

    JsonNode schema() {
        return schema;
    }

    boolean root() {
        return root;
    }

    List<CompiledRule> rules() {
        return rules;
    }
}
