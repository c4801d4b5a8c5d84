package dev.flotilla.apiserver.authz;

import dev.flotilla.api.nodeauth.NodeAuthorizer;
import dev.flotilla.api.rbac.PolicyIndex;
import dev.flotilla.api.rbac.RbacAuthorizer;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * The process's one RBAC policy index (fed by {@link PolicyFeed}) and the authorizer reading it, and
 * the Node authorizer over the graph {@link NodeGraphFeed} keeps.
 */
@Factory
class RbacBeans {

    @Singleton
    PolicyIndex policyIndex() {
        return new PolicyIndex();
    }

    @Singleton
    RbacAuthorizer rbacAuthorizer(PolicyIndex index) {
        return new RbacAuthorizer(index);
    }

    @Singleton
    NodeAuthorizer nodeAuthorizer(NodeGraphFeed graph) {
        return new NodeAuthorizer(graph);
    }
}
