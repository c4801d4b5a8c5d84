package dev.flotilla.api.resource;

import java.util.List;
import java.util.Set;

/**
 * One kind of object the API serves at one group/version: its names, scope and the verbs and
 * subresources it supports. The discovery documents, the URL routing and the storage keys are all
 * derived from it.
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String resource,
        String singular,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        Set<String> verbs,
        Set<String> subresources) {

    public static final Set<String> ALL_VERBS = Set.of("create", "delete", "deletecollection", "get", "list",
            "patch", "update", "watch");
    public static final Set<String> CREATE_ONLY = Set.of("create");

    public ResourceType {
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        verbs = Set.copyOf(verbs);
        subresources = Set.copyOf(subresources);
    }

    /** {@code v1} for the core group, {@code apps/v1} otherwise: the {@code apiVersion} of its objects. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String listKind() {
        return kind + "List";
    }

    public boolean supports(String verb) {
        return verbs.contains(verb);
    }

    public boolean hasSubresource(String name) {
        return subresources.contains(name);
    }

    /** {@code pods} for core resources, {@code deployments.apps} otherwise, as RBAC and messages name them. */
    public String qualifiedResource() {
        return group.isEmpty() ? resource : resource + "." + group;
    }
}
