package dev.flotilla.apiserver.authz;

import dev.flotilla.api.auth.ApiTokenScope;
import dev.flotilla.apiserver.http.RequestInfo;
import java.util.Optional;
import java.util.Set;

/**
 * The limits of a scoped platform API token, checked before RBAC: a read-only token may only get,
 * list and watch; a namespace token may only reach objects in its namespace. Asking who one is and
 * what one may do (the self reviews behind {@code kubectl auth whoami} and {@code can-i}) is always
 * allowed, as is discovery.
 */
final class ApiTokenScopeCheck {

    private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");
    private static final Set<String> SELF_REVIEWS = Set.of("selfsubjectreviews", "selfsubjectaccessreviews",
            "selfsubjectrulesreviews");

    private ApiTokenScopeCheck() {
    }

    /** Why the token's scope forbids the request; empty if it allows it. */
    static Optional<String> violation(ApiTokenScope scope, RequestInfo info) {
        if (info.resourceRequest() && SELF_REVIEWS.contains(info.resource())
                && (info.apiGroup().equals("authentication.k8s.io") || info.apiGroup().equals("authorization.k8s.io"))) {
            return Optional.empty();
        }
        if (scope.readOnly() && !READ_VERBS.contains(info.verb()) && !info.verb().equals("head")) {
            return Optional.of("the API token is read-only");
        }
        if (scope.namespace() != null && info.resourceRequest() && !inNamespace(scope.namespace(), info)) {
            return Optional.of("the API token is limited to the namespace \"" + scope.namespace() + "\"");
        }
        return Optional.empty();
    }

    private static boolean inNamespace(String namespace, RequestInfo info) {
        if (info.resource().equals("namespaces") && info.apiGroup().isEmpty()) {
            return info.name().equals(namespace);
        }
        return info.namespace().equals(namespace);
    }
}
