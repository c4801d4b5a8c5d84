package dev.flotilla.apiserver.model;

import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Optional;

/**
 * Finds the fabric8 kubernetes-model class of a kind. fabric8 puts a group's types in a package named
 * after the group's first DNS label, sometimes with the version as a further package
 * ({@code ...model.batch.v1.Job}) and sometimes without ({@code ...model.apps.Deployment}); core
 * types sit in the base package. Rather than keep a table per kind, each candidate is loaded by name
 * and accepted only when its {@code @Group}/{@code @Version} annotations say it is that kind, so a
 * same-named class of another version can never be picked.
 */
public final class ModelClasses {

    public static final String BASE_PACKAGE = "io.fabric8.kubernetes.api.model";

    private ModelClasses() {
    }

    private static final java.util.Map<String, Optional<Class<?>>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    public static Optional<Class<?>> find(String group, String version, String kind) {
        return CACHE.computeIfAbsent(group + "/" + version + "/" + kind, key -> lookup(group, version, kind));
    }

    private static Optional<Class<?>> lookup(String group, String version, String kind) {
        for (String pkg : candidatePackages(group, version)) {
            Optional<Class<?>> found = load(pkg + "." + kind)
                    .filter(c -> isKind(c, group, version));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static List<String> candidatePackages(String group, String version) {
        if (group.isEmpty()) {
            return List.of(BASE_PACKAGE);
        }
        String segment = BASE_PACKAGE + "." + group.split("\\.")[0];
        return List.of(segment + "." + version, segment);
    }

    private static boolean isKind(Class<?> type, String group, String version) {
        Group g = type.getAnnotation(Group.class);
        Version v = type.getAnnotation(Version.class);
        return g != null && v != null && g.value().equals(group) && v.value().equals(version);
    }

    private static Optional<Class<?>> load(String name) {
        try {
            return Optional.of(Class.forName(name, false, ModelClasses.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }
}
