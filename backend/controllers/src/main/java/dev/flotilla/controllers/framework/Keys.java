package dev.flotilla.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Work-queue keys as client-go writes them: {@code namespace/name}, or {@code name} when cluster-scoped. */
public final class Keys {

    private Keys() {
    }

    public static String of(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        String name = object.getMetadata().getName();
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    public static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }

    public static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
