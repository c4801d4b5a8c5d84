package dev.flotilla.apiserver.resource;

import dev.flotilla.api.resource.ResourceType;

/**
 * Where objects live in etcd: {@code /registry/<group>/<resource>/<namespace>/<name>} for namespaced
 * types and {@code /registry/<group>/<resource>/<name>} for cluster-scoped ones; the core group is
 * spelled {@code core}. Every version of a resource shares one prefix.
 */
final class StorageKeys {

    private StorageKeys() {
    }

    static String collection(ResourceType type, String namespace) {
        String base = "/registry/" + (type.group().isEmpty() ? "core" : type.group()) + "/" + type.resource() + "/";
        return type.namespaced() && namespace != null ? base + namespace + "/" : base;
    }

    static String object(ResourceType type, String namespace, String name) {
        return collection(type, namespace) + name;
    }
}
