package dev.flotilla.api.rbac;

import dev.flotilla.api.auth.UserInfo;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.List;

/**
 * RBAC decisions from a {@link PolicyIndex}, with upstream's semantics: members of
 * {@code system:masters} may do anything (upstream's privileged group, checked before RBAC); everyone
 * else is allowed when a ClusterRoleBinding, or a RoleBinding in the request's namespace, binds the
 * user or one of its groups to a role with a rule that allows the request.
 */
public final class RbacAuthorizer {

    private final PolicyIndex index;

    public RbacAuthorizer(PolicyIndex index) {
        this.index = index;
    }

    public Decision authorize(AccessRequest request) {
        UserInfo user = request.user();
        if (user.inGroup(UserInfo.MASTERS_GROUP)) {
            return Decision.allow("");
        }
        List<String> subjects = subjectKeys(user);
        for (String subject : subjects) {
            for (Binding binding : index.clusterBindings(subject)) {
                if (anyAllows(index.rulesOf(binding), request)) {
                    return Decision.allow("RBAC: allowed by " + binding.describe(subject));
                }
            }
        }
        if (!request.namespace().isEmpty()) {
            for (String subject : subjects) {
                for (Binding binding : index.namespacedBindings(request.namespace(), subject)) {
                    if (anyAllows(index.rulesOf(binding), request)) {
                        return Decision.allow("RBAC: allowed by " + binding.describe(subject));
                    }
                }
            }
        }
        return Decision.DENY;
    }

    public boolean allows(AccessRequest request) {
        return authorize(request).allowed();
    }

    /**
     * Every rule that applies to {@code user} in {@code namespace} (cluster-wide rules plus those of the
     * namespace's RoleBindings; only cluster-wide ones for an empty namespace), as upstream's rule
     * resolver lists them for SelfSubjectRulesReview and escalation checks.
     */
    public List<Rule> rulesFor(UserInfo user, String namespace) {
        List<Rule> rules = new ArrayList<>();
        List<String> subjects = subjectKeys(user);
        for (String subject : subjects) {
            index.clusterBindings(subject).forEach(b -> rules.addAll(index.rulesOf(b)));
        }
        if (namespace != null && !namespace.isEmpty()) {
            for (String subject : subjects) {
                index.namespacedBindings(namespace, subject).forEach(b -> rules.addAll(index.rulesOf(b)));
            }
        }
        return rules;
    }

    /** {@link #rulesFor}, with {@code system:masters} holding cluster-admin's rules. */
    public List<PolicyRule> effectiveRules(UserInfo user, String namespace) {
        if (user.inGroup(UserInfo.MASTERS_GROUP)) {
            return BootstrapPolicy.clusterAdminRules();
        }
        return rulesFor(user, namespace).stream().map(Rule::source).toList();
    }

    public PolicyIndex index() {
        return index;
    }

    private static List<String> subjectKeys(UserInfo user) {
        List<String> keys = new ArrayList<>(user.groups().size() + 1);
        keys.add(Binding.userKey(user.name()));
        for (String group : user.groups()) {
            keys.add(Binding.groupKey(group));
        }
        return keys;
    }

    private static boolean anyAllows(List<Rule> rules, AccessRequest request) {
        for (Rule rule : rules) {
            if (rule.allows(request)) {
                return true;
            }
        }
        return false;
    }
}
