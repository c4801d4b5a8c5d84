package dev.flotilla.apiserver.authz;

import dev.flotilla.api.auth.ApiTokenScope;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.nodeauth.NodeAuthorizer;
import dev.flotilla.api.rbac.AccessRequest;
import dev.flotilla.api.rbac.Decision;
import dev.flotilla.api.rbac.RbacAuthorizer;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.RequestInfo;
import jakarta.inject.Singleton;

/**
 * The authorization step of the request path: every resource and non-resource request is checked
 * against the scope of the caller's API token if it used one ({@link ApiTokenScopeCheck}), then the
 * authorizers in upstream's {@code --authorization-mode=Node,RBAC} order, and a denial is upstream's
 * 403, e.g. {@code pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the
 * namespace "default"}, with the reasons the authorizers gave after a colon.
 */
@Singleton
public class RequestAuthorizer {

    private final NodeAuthorizer node;
    private final RbacAuthorizer rbac;

    public RequestAuthorizer(NodeAuthorizer node, RbacAuthorizer rbac) {
        this.node = node;
        this.rbac = rbac;
    }

    /** Node, then RBAC, as upstream's union authorizer: the first that allows wins; otherwise every reason given. */
    public Decision decide(AccessRequest request) {
        Decision byNode = node.authorize(request).orElse(Decision.DENY);
        if (byNode.allowed()) {
            return byNode;
        }
        Decision byRbac = rbac.authorize(request);
        if (byRbac.allowed() || byNode.reason().isEmpty()) {
            return byRbac;
        }
        return new Decision(false, byRbac.reason().isEmpty() ? byNode.reason()
                : byNode.reason() + "\n" + byRbac.reason());
    }

    public void authorize(UserInfo user, RequestInfo info) {
        AccessRequest request = accessRequest(user, info);
        Decision decision = ApiTokenScope.of(user)
                .flatMap(scope -> ApiTokenScopeCheck.violation(scope, info))
                .map(why -> new Decision(false, why))
                .orElseGet(() -> decide(request));
        requireAllowed(request, decision, info.name());
    }

    /** The authorizers alone for a resource request made on the caller's behalf (impersonation); 403 if denied. */
    public void authorize(AccessRequest request, String name) {
        requireAllowed(request, decide(request), name);
    }

    private static void requireAllowed(AccessRequest request, Decision decision, String name) {
        if (decision.allowed()) {
            return;
        }
        String why = "User \"" + request.user().name() + "\" cannot " + request.deniedAction()
                + (decision.reason().isEmpty() ? "" : ": " + decision.reason());
        if (!request.resourceRequest()) {
            throw ApiError.of(403, "Forbidden", "forbidden: " + why);
        }
        throw ApiError.forbidden(request.apiGroup(), request.resource(), name, why);
    }

    static AccessRequest accessRequest(UserInfo user, RequestInfo info) {
        return info.resourceRequest()
                ? AccessRequest.resource(user, info.verb(), info.apiGroup(), info.resource(), info.subresource(),
                        info.namespace(), info.name())
                : AccessRequest.nonResource(user, info.verb(), info.path());
    }
}
