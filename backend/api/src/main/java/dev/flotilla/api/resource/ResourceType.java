package dev.flotilla.api.resource;

import java.util.List;
import java.util.Set;

/**
 * One kind of object the API serves at one group/version: its names, scope and the verbs and
 * subresources it supports. The discovery documents, the URL routing and the storage keys are all
 * derived from it. Types a CustomResourceDefinition defines carry {@link #custom()}; built-in ones
 * carry null there.
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
        Set<String> subresources,
        CustomResource custom) {

    public static final Set<String> ALL_VERBS = Set.of("create", "delete", "deletecollection", "get", "list",
            "patch", "update", "watch");
    public static final Set<String> CREATE_ONLY = Set.of("create");

    public ResourceType {
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        verbs = Set.copyOf(verbs);
        subresources = Set.copyOf(subresources);
    }

    /** A built-in type: no CustomResourceDefinition behind it. */
    public ResourceType(String group, String version, String kind, String resource, String singular,
            boolean namespaced, List<String> shortNames, List<String> categories, Set<String> verbs,
            Set<String> subresources) {
        this(group, version, kind, resource, singular, namespaced, shortNames, categories, verbs, subresources, null);
    }

    /** Whether a CustomResourceDefinition defines this type ({@link #custom()} then says how). */
    public boolean isCustom() {
        return custom != null;
    }

    /** {@code v1} for the core group, {@code apps/v1} otherwise: the {@code apiVersion} of its objects. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String listKind() {
        return custom != null ? custom.listKind() : kind + "List";
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
