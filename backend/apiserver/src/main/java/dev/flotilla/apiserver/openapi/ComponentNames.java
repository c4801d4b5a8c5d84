package dev.flotilla.apiserver.openapi;

import dev.flotilla.apiserver.model.ModelClasses;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Upstream's schema names for fabric8 classes ({@code io.k8s.api.apps.v1.Deployment},
 * {@code io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta}). Clients match schemas by the
 * group-version-kind extension, not by name, but people and tools read the names, and keeping
 * upstream's makes documents comparable side by side.
 *
 * <p>fabric8 mixes core/v1 and meta/v1 types in one base package, so the meta ones are listed; other
 * packages map by rule: {@code ...model.<group>[.<version>]} to {@code io.k8s.api.<group>.<version>},
 * with {@code v1} where fabric8 leaves the version out ({@code apps}, {@code rbac}, {@code storage},
 * {@code authentication}).
 */
final class ComponentNames {

    private static final Pattern VERSION = Pattern.compile("v\\d+((alpha|beta)\\d+)?");
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final Set<String> META_TYPES = Set.of("APIGroup", "APIGroupList", "APIResource",
            "APIResourceList", "APIVersions", "Condition", "CreateOptions", "DeleteOptions", "FieldSelectorRequirement",
            "FieldsV1", "GetOptions", "GroupKind", "GroupResource", "GroupVersion", "GroupVersionForDiscovery",
            "GroupVersionKind", "GroupVersionResource", "LabelSelector", "LabelSelectorRequirement", "ListMeta",
            "ListOptions", "ManagedFieldsEntry", "ObjectMeta", "OwnerReference", "PartialObjectMetadata",
            "PartialObjectMetadataList", "Patch", "PatchOptions", "Preconditions", "RootPaths",
            "ServerAddressByClientCIDR", "Status", "StatusCause", "StatusDetails", "TypeMeta", "UpdateOptions",
            "WatchEvent");

    private ComponentNames() {
    }

    static String of(Class<?> type) {
        String pkg = type.getPackageName();
        String simple = type.getSimpleName();
        if (pkg.equals(ModelClasses.BASE_PACKAGE)) {
            return META_TYPES.contains(simple) ? META + simple : "io.k8s.api.core.v1." + simple;
        }
        if (!pkg.startsWith(ModelClasses.BASE_PACKAGE + ".")) {
            throw new IllegalArgumentException(type.getName() + " is not a fabric8 kubernetes-model class");
        }
        String rest = pkg.substring(ModelClasses.BASE_PACKAGE.length() + 1);
        String last = rest.substring(rest.lastIndexOf('.') + 1);
        String groupVersion = VERSION.matcher(last).matches() ? rest : rest + ".v1";
        if (groupVersion.startsWith("apiextensions.")) {
            return "io.k8s.apiextensions-apiserver.pkg.apis." + groupVersion + "." + simple;
        }
        return "io.k8s.api." + groupVersion + "." + simple;
    }
}
