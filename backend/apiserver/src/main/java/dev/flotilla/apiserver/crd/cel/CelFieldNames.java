package dev.flotilla.apiserver.crd.cel;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a schema property is named inside CEL, as upstream escapes it: {@code __} becomes
 * {@code __underscores__}, {@code .} {@code __dot__}, {@code -} {@code __dash__}, {@code /}
 * {@code __slash__}, and a CEL keyword {@code __<keyword>__}. A name that still is no identifier
 * (it starts with a digit, or has other characters) cannot be reached from a rule.
 */
final class CelFieldNames {

    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");
    private static final Pattern ESCAPABLE = Pattern.compile("[a-zA-Z_.\\-/][a-zA-Z0-9_.\\-/]*");

    private CelFieldNames() {
    }

    /** The CEL name of a property, or empty when it cannot be reached. */
    static Optional<String> escape(String name) {
        if (RESERVED.contains(name)) {
            return Optional.of("__" + name + "__");
        }
        if (!ESCAPABLE.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of(name.replace("__", "__underscores__").replace(".", "__dot__").replace("-", "__dash__")
                .replace("/", "__slash__"));
    }
}
