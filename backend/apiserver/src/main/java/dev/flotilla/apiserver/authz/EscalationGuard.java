package dev.flotilla.apiserver.authz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.rbac.AccessRequest;
import dev.flotilla.api.rbac.BootstrapPolicy;
import dev.flotilla.api.rbac.EscalationCheck;
import dev.flotilla.api.rbac.Rule;
import dev.flotilla.api.rbac.RbacAuthorizer;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RBAC's escalation prevention, applied to every create and update of a role or binding: writing a
 * Role or ClusterRole needs the {@code escalate} verb on it or every permission it grants (an
 * aggregationRule needs cluster-admin's); writing a binding needs the {@code bind} verb on the role it
 * references or every permission that role grants. {@code system:masters} is exempt, as upstream.
 */
@Singleton
public class EscalationGuard {

    private static final String RBAC = "rbac.authorization.k8s.io";

    private final RbacAuthorizer authorizer;

    public EscalationGuard(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    public void check(UserInfo user, ResourceType type, String namespace, ObjectNode object) {
        if (!type.group().equals(RBAC) || user.inGroup(UserInfo.MASTERS_GROUP)) {
            return;
        }
        String ns = namespace == null ? "" : namespace;
        String name = object.path("metadata").path("name").asText("");
        switch (type.resource()) {
            case "roles", "clusterroles" -> checkRole(user, type, ns, name, object);
            case "rolebindings", "clusterrolebindings" -> checkBinding(user, type, ns, name, object.path("roleRef"));
            default -> {
            }
        }
    }

    private void checkRole(UserInfo user, ResourceType type, String namespace, String name, ObjectNode object) {
        if (authorizer.allows(AccessRequest.resource(user, "escalate", RBAC, type.resource(), "", namespace, name))) {
            return;
        }
        confirmHeld(user, type, namespace, name, rules(object.path("rules")));
        JsonNode aggregation = object.get("aggregationRule");
        if (aggregation != null && !aggregation.isNull()
                && EscalationCheck.missing(user, authorizer.rulesFor(user, ""), BootstrapPolicy.clusterAdminRules())
                        .isPresent()) {
            throw ApiError.forbidden(RBAC, type.resource(), name,
                    "must have cluster-admin privileges to use the aggregationRule");
        }
    }

    private void checkBinding(UserInfo user, ResourceType type, String namespace, String name, JsonNode roleRef) {
        String roleKind = roleRef.path("kind").asText("");
        String roleName = roleRef.path("name").asText("");
        String roleResource = roleKind.equals("Role") ? "roles" : "clusterroles";
        if (authorizer.allows(AccessRequest.resource(user, "bind", RBAC, roleResource, "", namespace, roleName))) {
            return;
        }
        Optional<List<Rule>> roleRules = authorizer.index().roleRules(namespace, roleKind, roleName);
        if (roleRules.isEmpty()) {
            throw ApiError.notFound(RBAC, roleResource, roleName);
        }
        confirmHeld(user, type, namespace, name, roleRules.get().stream().map(Rule::source).toList());
    }

    private void confirmHeld(UserInfo user, ResourceType type, String namespace, String name, List<PolicyRule> rules) {
        Optional<String> missing = EscalationCheck.missing(user, authorizer.rulesFor(user, namespace), rules);
        if (missing.isPresent()) {
            throw ApiError.forbidden(RBAC, type.resource(), name, missing.get());
        }
    }

    private static List<PolicyRule> rules(JsonNode rules) {
        List<PolicyRule> out = new ArrayList<>();
        for (JsonNode rule : rules) {
            try {
                out.add(Json.mapper().treeToValue(rule, PolicyRule.class));
            } catch (JsonProcessingException e) {
                throw ApiError.badRequest("cannot read rule " + rule + ": " + e.getOriginalMessage());
            }
        }
        return out;
    }
}
