package dev.flotilla.apiserver.crd.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.flotilla.api.status.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles every {@code x-kubernetes-validations} rule of a CRD version's schema, once, when the
 * CRD is written: a rule (or messageExpression) that does not parse or type-check against the
 * schema, an unknown reason or a message with line breaks is a field error at the rule's place in
 * the CRD, worded as upstream ({@code ...x-kubernetes-validations[0].rule: Invalid value: "...":
 * compilation failed: ERROR: <input>:1:10: undefined field 'x'}).
 */
public final class RuleCompiler {

    private static final Map<String, FieldError.Type> REASONS = Map.of(
            "FieldValueInvalid", FieldError.Type.INVALID,
            "FieldValueForbidden", FieldError.Type.FORBIDDEN,
            "FieldValueRequired", FieldError.Type.REQUIRED,
            "FieldValueDuplicate", FieldError.Type.DUPLICATE);

    /** The rules of a schema and the problems found compiling them. */
    public record Compilation(SchemaRules rules, List<FieldError> errors) {
    }

    private final RuleLimits limits;
    private final SchemaCelTypes types = new SchemaCelTypes();
    private final List<FieldError> errors = new ArrayList<>();

    private RuleCompiler(RuleLimits limits) {
        this.limits = limits;
    }

    /** Compiles the rules of {@code schema} (a version's openAPIV3Schema) found at {@code path} in the CRD. */
    public static Compilation compile(JsonNode schema, String path, RuleLimits limits) {
        RuleCompiler compiler = new RuleCompiler(limits);
        SchemaRules rules = schema == null || schema.isNull() || schema.isMissingNode() ? null
                : compiler.node(schema, path, "Object", true);
        return new Compilation(rules, List.copyOf(compiler.errors));
    }

    private SchemaRules node(JsonNode schema, String path, String typeName, boolean root) {
        List<CompiledRule> rules = rules(schema, path, typeName, root);
        Map<String, SchemaRules> properties = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> property = it.next();
            if (root && property.getKey().equals("metadata")) {
                continue;
            }
            SchemaRules child = node(property.getValue(), path + ".properties[" + property.getKey() + "]",
                    typeName + "." + CelFieldNames.escape(property.getKey()).orElse("@" + property.getKey()), false);
            if (child != null) {
                properties.put(property.getKey(), child);
            }
        }
        SchemaRules items = schema.path("items").isObject()
                ? node(schema.path("items"), path + ".items", typeName + ".@items", false) : null;
        SchemaRules additional = schema.path("additionalProperties").isObject()
                ? node(schema.path("additionalProperties"), path + ".additionalProperties",
                        typeName + ".@additionalProperties", false) : null;
        if (rules.isEmpty() && properties.isEmpty() && items == null && additional == null) {
            return null;
        }
        return new SchemaRules(schema, root, rules, properties, items, additional, limits);
    }

    private List<CompiledRule> rules(JsonNode schema, String path, String typeName, boolean root) {
        JsonNode validations = schema.path("x-kubernetes-validations");
        List<CompiledRule> compiled = new ArrayList<>();
        if (!validations.isArray() || validations.isEmpty()) {
            return compiled;
        }
        CelType self = types.typeOf(schema, typeName, root);
        for (int i = 0; i < validations.size(); i++) {
            CompiledRule rule = rule(validations.get(i), path + ".x-kubernetes-validations[" + i + "]", self);
            if (rule != null) {
                compiled.add(rule);
            }
        }
        return compiled;
    }

    private CompiledRule rule(JsonNode validation, String path, CelType self) {
        String source = validation.path("rule").asText("");
        String message = validation.path("message").asText("");
        String messageExpression = validation.path("messageExpression").asText("");
        String reasonName = validation.path("reason").asText("");
        boolean optionalOldSelf = validation.path("optionalOldSelf").asBoolean(false);
        int before = errors.size();
        if (source.isBlank()) {
            errors.add(FieldError.required(path + ".rule", ""));
        }
        if (message.contains("\n")) {
            errors.add(FieldError.invalid(path + ".message", message, "message must not contain line breaks"));
        }
        if (validation.has("message") && message.isBlank()) {
            errors.add(FieldError.invalid(path + ".message", message, "message must be non-empty if specified"));
        }
        FieldError.Type reason = FieldError.Type.INVALID;
        if (!reasonName.isEmpty()) {
            reason = REASONS.get(reasonName);
            if (reason == null) {
                errors.add(FieldError.notSupported(path + ".reason", reasonName, List.of("FieldValueDuplicate",
                        "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired")));
            }
        }
        String fieldPath = validation.path("fieldPath").asText("");
        if (!fieldPath.isEmpty() && !fieldPath.startsWith(".") && !fieldPath.startsWith("[")) {
            errors.add(FieldError.invalid(path + ".fieldPath", fieldPath,
                    "fieldPath must be a valid path: must start with '.' or '['"));
        }
        if (source.isBlank()) {
            return null;
        }
        CelCompiler compiler = CelEnvironment.compiler(types, self, optionalOldSelf, SimpleType.BOOL);
        CelAbstractSyntaxTree ast = check(compiler, source, path + ".rule", "compilation failed: ");
        CelAbstractSyntaxTree messageAst = null;
        if (!messageExpression.isBlank()) {
            CelCompiler messageCompiler = CelEnvironment.compiler(types, self, optionalOldSelf, SimpleType.STRING);
            messageAst = check(messageCompiler, messageExpression, path + ".messageExpression",
                    "messageExpression compilation failed: ");
        }
        if (ast == null || errors.size() > before) {
            return null;
        }
        try {
            CelRuntime.Program program = CelEnvironment.runtime().createProgram(ast);
            CelRuntime.Program messageProgram = messageAst == null ? null
                    : CelEnvironment.runtime().createProgram(messageAst);
            return new CompiledRule(source, message, program, messageProgram, usesOldSelf(ast), optionalOldSelf,
                    reason, fieldPath);
        } catch (CelEvaluationException e) {
            errors.add(FieldError.invalid(path + ".rule", source, "compilation failed: " + e.getMessage()));
            return null;
        }
    }

    private CelAbstractSyntaxTree check(CelCompiler compiler, String source, String path, String prefix) {
        CelValidationResult result = compiler.compile(source);
        if (result.hasError()) {
            errors.add(FieldError.invalid(path, source, prefix + result.getErrorString()));
            return null;
        }
        try {
            return result.getAst();
        } catch (CelValidationException e) {
            errors.add(FieldError.invalid(path, source, prefix + e.getMessage()));
            return null;
        }
    }

    private static boolean usesOldSelf(CelAbstractSyntaxTree ast) {
        return CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .map(node -> node.expr())
                .anyMatch(expr -> expr.getKind() == CelExpr.ExprKind.Kind.IDENT
                        && expr.ident().name().equals(CelEnvironment.OLD_SELF));
    }
}
