package dev.flotilla.api.nodeauth;

import dev.flotilla.api.auth.NodeIdentity;
import dev.flotilla.api.rbac.AccessRequest;
import dev.flotilla.api.rbac.BootstrapPolicy;
import dev.flotilla.api.rbac.Decision;
import dev.flotilla.api.rbac.Rule;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's Node authorizer ({@code --authorization-mode=Node,...}): a node (user
 * {@code system:node:<name>}, group {@code system:nodes}) may read the Secrets, ConfigMaps,
 * PersistentVolumeClaims and PersistentVolumes, and request tokens for the ServiceAccounts, that pods
 * bound to it use, and only its own Lease; everything else a node agent needs comes from the
 * {@code system:node} role's rules, which this authorizer applies itself (that role is bound to no
 * one, as upstream). It never denies outright: a request it does not allow goes on to RBAC with the
 * reason, e.g. {@code no relationship found between node 'a' and this object}.
 */
public final class NodeAuthorizer {

    private static final Set<String> READ = Set.of("get", "list", "watch");
    private static final Set<String> LEASE_VERBS = Set.of("get", "create", "update", "patch", "delete");
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    private final NodeRelationships graph;
    private final List<Rule> nodeRules = Rule.all(BootstrapPolicy.nodeRules());

    public NodeAuthorizer(NodeRelationships graph) {
        this.graph = graph;
    }

    /** Allowed, or not with the reason; empty when the user is not a node (no opinion). */
    public Optional<Decision> authorize(AccessRequest request) {
        Optional<String> node = NodeIdentity.nodeName(request.user());
        if (node.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(decide(node.get(), request));
    }

    private Decision decide(String node, AccessRequest request) {
        if (request.resourceRequest() && request.apiGroup().isEmpty()) {
            switch (request.resource()) {
                case "secrets":
                    return readNamespaced(node, request, PodReferences.ObjectKind.SECRET);
                case "configmaps":
                    return readNamespaced(node, request, PodReferences.ObjectKind.CONFIG_MAP);
                case "persistentvolumeclaims":
                    return request.subresource().equals("status") ? claimStatus(node, request)
                            : getNamespaced(node, request, PodReferences.ObjectKind.CLAIM);
                case "persistentvolumes":
                    if (request.verb().equals("get")) {
                        return volume(node, request);
                    }
                    // Beyond upstream: list/watch/update for the node agent's local-path cleanup,
                    // granted by the node rules (docs/storage.md).
                    break;
                case "serviceaccounts":
                    return token(node, request);
                default:
                    break;
            }
        }
        if (request.resourceRequest() && request.apiGroup().equals("coordination.k8s.io")
                && request.resource().equals("leases")) {
            return lease(node, request);
        }
        for (Rule rule : nodeRules) {
            if (rule.allows(request)) {
                return Decision.allow("Node: allowed by the node rules");
            }
        }
        return Decision.DENY;
    }

    private Decision readNamespaced(String node, AccessRequest request, PodReferences.ObjectKind kind) {
        if (!READ.contains(request.verb())) {
            return deny("can only read resources of this type");
        }
        if (!request.subresource().isEmpty()) {
            return deny("cannot read subresource");
        }
        if (request.namespace().isEmpty()) {
            return deny("can only read namespaced object of this type");
        }
        return related(node, request, kind);
    }

    private Decision getNamespaced(String node, AccessRequest request, PodReferences.ObjectKind kind) {
        if (!request.verb().equals("get")) {
            return deny("can only get individual resources of this type");
        }
        if (!request.subresource().isEmpty()) {
            return deny("cannot get subresource");
        }
        return related(node, request, kind);
    }

    private Decision claimStatus(String node, AccessRequest request) {
        if (!Set.of("update", "patch").contains(request.verb())) {
            return deny("can only update or patch persistentvolumeclaim status");
        }
        return related(node, request, PodReferences.ObjectKind.CLAIM);
    }

    private Decision related(String node, AccessRequest request, PodReferences.ObjectKind kind) {
        if (request.name().isEmpty()) {
            return deny("No Object name found");
        }
        return graph.uses(node, kind, request.namespace(), request.name()) ? Decision.allow("Node: used by its pods")
                : noRelationship(node);
    }

    private Decision volume(String node, AccessRequest request) {
        if (!request.verb().equals("get")) {
            return deny("can only get individual resources of this type");
        }
        if (!request.subresource().isEmpty()) {
            return deny("cannot get subresource");
        }
        if (request.name().isEmpty()) {
            return deny("No Object name found");
        }
        return graph.usesVolume(node, request.name()) ? Decision.allow("Node: used by its pods") : noRelationship(node);
    }

    private Decision token(String node, AccessRequest request) {
        if (!request.verb().equals("create") || request.name().isEmpty()) {
            return deny("can only create tokens for individual service accounts");
        }
        if (!request.subresource().equals("token")) {
            return deny("can only create token subresource of serviceaccount");
        }
        return related(node, request, PodReferences.ObjectKind.SERVICE_ACCOUNT);
    }

    private static Decision lease(String node, AccessRequest request) {
        if (!LEASE_VERBS.contains(request.verb())) {
            return deny("can only get, create, update, patch, or delete a node lease");
        }
        if (!request.namespace().equals(NODE_LEASE_NAMESPACE)) {
            return deny("can only access leases in the " + NODE_LEASE_NAMESPACE + " namespace");
        }
        if (!request.verb().equals("create") && !request.name().equals(node)) {
            return deny("can only access node lease with the same name as the requesting node");
        }
        return Decision.allow("Node: its own lease");
    }

    private static Decision noRelationship(String node) {
        return deny("no relationship found between node '" + node + "' and this object");
    }

    private static Decision deny(String reason) {
        return new Decision(false, reason);
    }
}
