package dev.flotilla.apiserver.resource;

import dev.flotilla.api.resource.ResourceType;

/**
 * A request for a resource, as the URL names it: the type, the namespace (null for cluster-scoped
 * types and for lists across all namespaces), the object name (null for collections) and the
 * subresource (null for the object itself).
 */
public record ResourceRequest(ResourceType type, String namespace, String name, String subresource) {

    public boolean isCollection() {
        return name == null;
    }

    /** The name for messages and Status details: the object's name, or "" for collections. */
    public String nameOrEmpty() {
        return name == null ? "" : name;
    }
}
