package dev.flotilla.apiserver.crd.cel;

import dev.cel.runtime.CelRuntime;
import dev.flotilla.api.status.FieldError;

/**
 * One {@code x-kubernetes-validations} entry, compiled.
 *
 * @param rule            the rule's source
 * @param message         the rule's message, or empty
 * @param program         the rule
 * @param messageProgram  the messageExpression, or null
 * @param transition      whether the rule uses {@code oldSelf} (it then only runs on update, unless optionalOldSelf)
 * @param optionalOldSelf whether {@code oldSelf} is an optional, so the rule also runs on create
 * @param reason          the field error's type (FieldValueInvalid unless the rule says otherwise)
 * @param fieldPath       the rule's fieldPath relative to its node ({@code .spec.x}), or empty
 */
record CompiledRule(String rule, String message, CelRuntime.Program program, CelRuntime.Program messageProgram,
        boolean transition, boolean optionalOldSelf, FieldError.Type reason, String fieldPath) {

    /** The rule as errors name it: its message when it has one, else its source. */
    String describe() {
        return message.isBlank() ? rule.trim() : message.trim();
    }

    /** The message of a failed rule when there is no messageExpression (or it failed). */
    String defaultMessage() {
        return message.isBlank() ? "failed rule: " + describe() : message.trim();
    }
}
