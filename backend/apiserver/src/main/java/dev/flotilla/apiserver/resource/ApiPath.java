package dev.flotilla.apiserver.resource;

import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Parses API paths: discovery documents ({@code /api}, {@code /apis}, {@code /apis/apps/v1} …) and
 * resource URLs ({@code /api/v1/namespaces/default/pods/web/status}, {@code /apis/apps/v1/deployments}).
 */
public sealed interface ApiPath {

    /** {@code /api} or {@code /apis}. */
    record Root(boolean legacy) implements ApiPath {
    }

    /** {@code /apis/<group>}. */
    record Group(String group) implements ApiPath {
    }

    /** {@code /api/v1} or {@code /apis/<group>/<version>}. */
    record GroupVersion(String group, String version) implements ApiPath {
    }

    record Resource(ResourceRequest request) implements ApiPath {
    }

    static ApiPath parse(String path, ResourceRegistry registry) {
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        if (segments.isEmpty()) {
            throw ApiError.notFoundPath();
        }
        boolean legacy = segments.get(0).equals("api");
        if (!legacy && !segments.get(0).equals("apis")) {
            throw ApiError.notFoundPath();
        }
        if (segments.size() == 1) {
            return new Root(legacy);
        }
        String group;
        String version;
        List<String> rest;
        if (legacy) {
            group = "";
            version = segments.get(1);
            rest = segments.subList(2, segments.size());
        } else {
            group = segments.get(1);
            if (segments.size() == 2) {
                if (registry.groups().containsKey(group)) {
                    return new Group(group);
                }
                throw ApiError.notFoundPath();
            }
            version = segments.get(2);
            rest = segments.subList(3, segments.size());
        }
        if (registry.inGroupVersion(group, version).isEmpty()) {
            throw ApiError.notFoundPath();
        }
        if (rest.isEmpty()) {
            return new GroupVersion(group, version);
        }
        return new Resource(resource(group, version, rest, registry));
    }

    private static ResourceRequest resource(String group, String version, List<String> rest,
            ResourceRegistry registry) {
        // namespaces/<ns>/<resource>[/<name>[/<subresource>]] for namespaced types, except the
        // namespaces resource itself: namespaces[/<name>[/<subresource>]].
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            Optional<ResourceType> type = registry.find(group, version, rest.get(2));
            if (type.isPresent() && type.get().namespaced()) {
                return request(type.get(), rest.get(1), rest.subList(3, rest.size()));
            }
            if (rest.size() > 3 || !group.isEmpty()) {
                throw ApiError.notFoundPath();
            }
            // namespaces/<name>/<subresource> (status, finalize) of the Namespace itself: parsed below.
        }
        ResourceType type = lookup(group, version, rest.get(0), registry);
        List<String> tail = rest.subList(1, rest.size());
        if (type.namespaced() && !tail.isEmpty()) {
            // A namespaced object must be addressed through its namespace.
            throw ApiError.notFoundPath();
        }
        return request(type, null, tail);
    }

    private static ResourceRequest request(ResourceType type, String namespace, List<String> tail) {
        // .../<name>/proxy/<any path>: the proxy subresource reads the rest of the path itself.
        boolean proxyPath = tail.size() > 2 && tail.get(1).equals("proxy");
        if (tail.size() > 2 && !proxyPath) {
            throw ApiError.notFoundPath();
        }
        String name = tail.isEmpty() ? null : tail.get(0);
        String subresource = tail.size() >= 2 ? tail.get(1) : null;
        if (subresource != null && !type.hasSubresource(subresource)) {
            throw ApiError.notFoundPath();
        }
        return new ResourceRequest(type, namespace, name, subresource);
    }

    private static ResourceType lookup(String group, String version, String resource, ResourceRegistry registry) {
        Optional<ResourceType> type = registry.find(group, version, resource);
        return type.orElseThrow(ApiError::notFoundPath);
    }
}
