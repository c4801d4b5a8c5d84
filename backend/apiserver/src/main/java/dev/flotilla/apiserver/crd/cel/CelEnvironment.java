package dev.flotilla.apiserver.crd.cel;

import dev.cel.common.CelOptions;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * The CEL environment of validation rules, as upstream's: the standard library and macros,
 * the strings and optional extensions, and Kubernetes' list functions ({@link KubernetesListLibrary}).
 * One runtime serves every rule; a compiler is made per schema node, since {@code self} has that
 * node's type.
 */
final class CelEnvironment {

    static final String SELF = "self";
    static final String OLD_SELF = "oldSelf";

    private static final CelOptions OPTIONS = CelOptions.current().enableRegexPartialMatch(true).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.optional(), KubernetesListLibrary.INSTANCE)
            .build();

    private CelEnvironment() {
    }

    /** A compiler for rules on a node of type {@code self}; {@code oldSelf} is optional when {@code optionalOldSelf}. */
    static CelCompiler compiler(SchemaCelTypes types, CelType self, boolean optionalOldSelf, CelType result) {
        return CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(types)
                .addLibraries(CelExtensions.strings(), CelExtensions.optional(), KubernetesListLibrary.INSTANCE)
                .addVar(SELF, self)
                .addVar(OLD_SELF, optionalOldSelf ? OptionalType.create(self) : self)
                .setResultType(result)
                .build();
    }

    static CelRuntime runtime() {
        return RUNTIME;
    }
}
