package dev.flotilla.apiserver.crd.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.flotilla.api.status.FieldError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the rules of one schema node on one value and words what fails as upstream: the rule's
 * message, its messageExpression's result, or {@code failed rule: <rule>}, with the node's type as
 * the value ({@code spec: Invalid value: "object": <message>}), at the node's path or the rule's
 * fieldPath, of the rule's reason. A rule that fails at run time (no such key, division by zero, a
 * dyn value of the wrong type) is an Invalid error too, never a server error; one that goes over
 * the cost limit stops the object's validation.
 */
final class RuleEvaluation {

    private final SchemaRules node;
    private final JsonNode value;
    private final JsonNode old;
    private final String path;
    private final RuleLimits limits;
    private final SchemaRules.Budget budget;
    private final String type;
    private Map<String, Object> activation;

    RuleEvaluation(SchemaRules node, JsonNode value, JsonNode old, String path, RuleLimits limits,
            SchemaRules.Budget budget) {
        this.node = node;
        this.value = value;
        this.old = old;
        this.path = path;
        this.limits = limits;
        this.budget = budget;
        this.type = node.schema().path("type").asText("");
    }

    void run(List<FieldError> errors) {
        boolean unchanged = old != null && old.equals(value);
        for (CompiledRule rule : node.rules()) {
            if (budget.exhausted()) {
                return;
            }
            if (rule.transition() && old == null && !rule.optionalOldSelf()) {
                continue;
            }
            if (unchanged && !rule.transition()) {
                continue;
            }
            FieldError error = evaluate(rule);
            if (error != null) {
                errors.add(error);
            }
        }
    }

    private FieldError evaluate(CompiledRule rule) {
        Object result;
        try {
            result = eval(rule.program(), rule);
        } catch (RuleCost.LimitExceeded e) {
            budget.remaining = -1;
            return FieldError.invalid(path, type, e.perCall()
                    ? "'" + e.getMessage() + "': no further validation rules will be run due to call cost exceeds"
                            + " limit for rule: " + rule.describe()
                    : "validation failed due to running out of cost budget, no further validation rules will be run");
        } catch (CelEvaluationException e) {
            return FieldError.invalid(path, type, runtimeError(e) + " evaluating rule: " + rule.describe());
        }
        if (Boolean.TRUE.equals(result)) {
            return null;
        }
        return failed(rule, message(rule));
    }

    private String message(CompiledRule rule) {
        if (rule.messageProgram() == null) {
            return rule.defaultMessage();
        }
        try {
            Object message = eval(rule.messageProgram(), rule);
            if (message instanceof String text && !text.isBlank() && !text.contains("\n")) {
                return text.trim();
            }
        } catch (RuleCost.LimitExceeded e) {
            budget.remaining = -1;
        } catch (CelEvaluationException e) {
            // upstream falls back to the rule's message when its messageExpression fails
        }
        return rule.defaultMessage();
    }

    private Object eval(CelRuntime.Program program, CompiledRule rule) throws CelEvaluationException {
        RuleCost cost = new RuleCost(limits.perCall(), budget.remaining, budget.deadline);
        try {
            return program.trace(activation(rule.optionalOldSelf()), cost);
        } catch (CelEvaluationException e) {
            if (e.getCause() instanceof RuleCost.LimitExceeded limit) {
                throw limit;
            }
            throw e;
        } finally {
            budget.remaining -= cost.cost();
        }
    }

    /** {@code self} and {@code oldSelf} (an optional for rules with optionalOldSelf), converted once per node. */
    private Map<String, Object> activation(boolean optionalOldSelf) {
        if (activation == null) {
            activation = new HashMap<>();
            activation.put(CelEnvironment.SELF, CelValues.of(value, node.schema(), node.root()));
            if (old != null) {
                activation.put(CelEnvironment.OLD_SELF, CelValues.of(old, node.schema(), node.root()));
            }
        }
        if (!optionalOldSelf) {
            return activation;
        }
        Map<String, Object> optional = new HashMap<>(activation);
        optional.put(CelEnvironment.OLD_SELF, Optional.ofNullable(activation.get(CelEnvironment.OLD_SELF)));
        return optional;
    }

    private FieldError failed(CompiledRule rule, String message) {
        String at = path;
        if (!rule.fieldPath().isEmpty()) {
            String relative = rule.fieldPath().replaceAll("\\['([^']*)'\\]", "[$1]");
            at = path.equals("<nil>") ? relative.replaceFirst("^\\.", "") : path + relative;
        }
        return switch (rule.reason()) {
            case FORBIDDEN -> FieldError.forbidden(at, message);
            case REQUIRED -> FieldError.required(at, message);
            case DUPLICATE -> new FieldError(at, FieldError.Type.DUPLICATE, type, null);
            default -> FieldError.invalid(at, type, message);
        };
    }

    /** cel-java's evaluation error without its position prefix ("evaluation error at <input>:12: "). */
    private static String runtimeError(CelEvaluationException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.replaceFirst("^evaluation error(?: at [^:]*:\\d+)?: ", "");
    }
}
