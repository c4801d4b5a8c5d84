package dev.flotilla.apiserver.authz;

import dev.flotilla.apiserver.http.RequestInfo;

/**
 * The one resource anonymous callers may read: {@code GET /api/v1/namespaces/kube-public/configmaps/cluster-info},
 * which a joining node fetches before it trusts anything (kubeadm grants the same through a Role for
 * {@code system:anonymous}). It holds only the server URL, the CA certificate and the bootstrap
 * signatures, all meant to be public. Fixed in code, so no RBAC object can widen anonymous access.
 */
public final class PublicClusterInfo {

    public static final String NAMESPACE = "kube-public";
    public static final String NAME = "cluster-info";

    private PublicClusterInfo() {
    }

    public static boolean isRead(RequestInfo info) {
        return info.resourceRequest() && info.verb().equals("get") && info.apiGroup().isEmpty()
                && info.resource().equals("configmaps") && info.subresource().isEmpty()
                && NAMESPACE.equals(info.namespace()) && NAME.equals(info.name());
    }
}
