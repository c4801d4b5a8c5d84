package dev.flotilla.apiserver.crd.cel;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.checker.CelCheckerBuilder;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import java.util.List;

/**
 * The most used of Kubernetes' CEL list functions: {@code <list>.isSorted()}, {@code <list>.indexOf(e)}
 * and {@code <list>.lastIndexOf(e)}, for lists of comparable elements (numbers, strings, booleans).
 */
final class KubernetesListLibrary implements CelCompilerLibrary, CelRuntimeLibrary {

    static final KubernetesListLibrary INSTANCE = new KubernetesListLibrary();

    private KubernetesListLibrary() {
    }

    @Override
    public void setCheckerOptions(CelCheckerBuilder compiler) {
        TypeParamType element = TypeParamType.create("T");
        ListType list = ListType.create(element);
        compiler.addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration("isSorted",
                        CelOverloadDecl.newMemberOverload("list_is_sorted", SimpleType.BOOL, list)),
                CelFunctionDecl.newFunctionDeclaration("indexOf",
                        CelOverloadDecl.newMemberOverload("list_index_of", SimpleType.INT, list, element)),
                CelFunctionDecl.newFunctionDeclaration("lastIndexOf",
                        CelOverloadDecl.newMemberOverload("list_last_index_of", SimpleType.INT, list, element)));
    }

    @Override
    public void setRuntimeOptions(CelRuntimeBuilder runtime) {
        runtime.addFunctionBindings(
                CelFunctionBinding.from("list_is_sorted", List.class, KubernetesListLibrary::isSorted),
                CelFunctionBinding.from("list_index_of", List.class, Object.class,
                        (list, element) -> (long) list.indexOf(element)),
                CelFunctionBinding.from("list_last_index_of", List.class, Object.class,
                        (list, element) -> (long) list.lastIndexOf(element)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean isSorted(List list) {
        for (int i = 1; i < list.size(); i++) {
            if (((Comparable) list.get(i - 1)).compareTo(list.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }
}
