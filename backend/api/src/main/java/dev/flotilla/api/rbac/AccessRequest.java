package dev.flotilla.api.rbac;

import dev.flotilla.api.auth.UserInfo;

/**
 * What a request asks to do, as an authorizer sees it (upstream's authorizer.Attributes): a resource
 * request names a verb, API group, resource, subresource, namespace and object name; a non-resource
 * request names a verb and a URL path. Empty strings mean "none" (cluster scope, collection, ...).
 */
public record AccessRequest(UserInfo user, boolean resourceRequest, String verb, String apiGroup, String resource,
        String subresource, String namespace, String name, String path) {

    public AccessRequest {
        apiGroup = orEmpty(apiGroup);
        resource = orEmpty(resource);
        subresource = orEmpty(subresource);
        namespace = orEmpty(namespace);
        name = orEmpty(name);
        path = orEmpty(path);
    }

    public static AccessRequest resource(UserInfo user, String verb, String apiGroup, String resource,
            String subresource, String namespace, String name) {
        return new AccessRequest(user, true, verb, apiGroup, resource, subresource, namespace, name, "");
    }

    public static AccessRequest nonResource(UserInfo user, String verb, String path) {
        return new AccessRequest(user, false, verb, "", "", "", "", "", path);
    }

    /** {@code pods} or {@code pods/log}: how rules name a resource with its subresource. */
    public String combinedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    /**
     * The denial text after {@code User "alice" cannot }, in upstream's words:
     * {@code list resource "pods" in API group "" in the namespace "default"} or
     * {@code get path "/metrics"}.
     */
    public String deniedAction() {
        if (!resourceRequest) {
            return verb + " path \"" + path + "\"";
        }
        String action = verb + " resource \"" + combinedResource() + "\" in API group \"" + apiGroup + "\"";
        return namespace.isEmpty() ? action + " at the cluster scope" : action + " in the namespace \"" + namespace + "\"";
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
