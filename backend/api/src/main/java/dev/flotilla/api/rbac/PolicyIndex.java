package dev.flotilla.api.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every Role, ClusterRole, RoleBinding and ClusterRoleBinding in memory, with bindings indexed by
 * subject (user or group) and namespace, so a decision is a few map lookups however many bindings
 * exist. Safe for concurrent readers while one writer (the storage feed) applies changes.
 */
public final class PolicyIndex {

    private final Map<String, List<Rule>> clusterRoles = new ConcurrentHashMap<>();
    private final Map<String, ClusterRole> clusterRoleObjects = new ConcurrentHashMap<>();
    private final Map<String, List<Rule>> roles = new ConcurrentHashMap<>();
    private final Map<String, Binding> bindings = new ConcurrentHashMap<>();
    private final Map<String, List<Binding>> clusterBindingsBySubject = new ConcurrentHashMap<>();
    private final Map<String, List<Binding>> namespacedBindingsBySubject = new ConcurrentHashMap<>();

    public void putClusterRole(ClusterRole role) {
        clusterRoles.put(role.getMetadata().getName(), Rule.all(role.getRules()));
        clusterRoleObjects.put(role.getMetadata().getName(), role);
    }

    public void removeClusterRole(String name) {
        clusterRoles.remove(name);
        clusterRoleObjects.remove(name);
    }

    public void putRole(Role role) {
        roles.put(roleKey(role.getMetadata().getNamespace(), role.getMetadata().getName()), Rule.all(role.getRules()));
    }

    public void removeRole(String namespace, String name) {
        roles.remove(roleKey(namespace, name));
    }

    public void putClusterRoleBinding(ClusterRoleBinding binding) {
        putBinding(Binding.of(binding));
    }

    public void putRoleBinding(RoleBinding binding) {
        putBinding(Binding.of(binding));
    }

    public void removeClusterRoleBinding(String name) {
        removeBinding(bindingKey("", name));
    }

    public void removeRoleBinding(String namespace, String name) {
        removeBinding(bindingKey(namespace, name));
    }

    /** The ClusterRoles as stored, for aggregation. */
    public Collection<ClusterRole> clusterRoles() {
        return List.copyOf(clusterRoleObjects.values());
    }

    /**
     * After a full reload of one kind: forgets the objects of that kind that are not in {@code keep}
     * (keys {@code <namespace>/<name>}, namespace empty for cluster-scoped kinds). Objects still
     * present stay in place throughout, so decisions never see a half-empty index.
     */
    public void retainOnly(String kind, Set<String> keep) {
        switch (kind) {
            case "ClusterRole" -> List.copyOf(clusterRoles.keySet()).stream()
                    .filter(name -> !keep.contains(roleKey("", name))).forEach(this::removeClusterRole);
            case "Role" -> roles.keySet().removeIf(key -> !keep.contains(key));
            case "ClusterRoleBinding", "RoleBinding" -> {
                boolean cluster = kind.equals("ClusterRoleBinding");
                for (Map.Entry<String, Binding> entry : List.copyOf(bindings.entrySet())) {
                    if (entry.getValue().clusterWide() == cluster && !keep.contains(entry.getKey())) {
                        removeBinding(entry.getKey());
                    }
                }
            }
            default -> throw new IllegalArgumentException("not an RBAC kind: " + kind);
        }
    }

    public int bindingCount() {
        return bindings.size();
    }

    List<Binding> clusterBindings(String subjectKey) {
        return clusterBindingsBySubject.getOrDefault(subjectKey, List.of());
    }

    List<Binding> namespacedBindings(String namespace, String subjectKey) {
        return namespacedBindingsBySubject.getOrDefault(namespacedKey(namespace, subjectKey), List.of());
    }

    /** The rules a binding grants now; none when its role does not exist (yet). */
    List<Rule> rulesOf(Binding binding) {
        return roleRules(binding.namespace(), binding.roleKind(), binding.roleName()).orElse(List.of());
    }

    /** The rules of the role a binding in {@code namespace} would reference; empty when that role does not exist. */
    public Optional<List<Rule>> roleRules(String namespace, String roleKind, String roleName) {
        return Optional.ofNullable("Role".equals(roleKind) ? roles.get(roleKey(namespace, roleName))
                : clusterRoles.get(roleName));
    }

    private synchronized void putBinding(Binding binding) {
        String key = bindingKey(binding.namespace(), binding.name());
        removeBinding(key);
        bindings.put(key, binding);
        for (String subject : binding.subjectKeys()) {
            index(binding).compute(indexKey(binding, subject), (k, list) -> with(list, binding));
        }
    }

    private synchronized void removeBinding(String key) {
        Binding old = bindings.remove(key);
        if (old == null) {
            return;
        }
        for (String subject : old.subjectKeys()) {
            index(old).computeIfPresent(indexKey(old, subject), (k, list) -> without(list, old));
        }
    }

    private Map<String, List<Binding>> index(Binding binding) {
        return binding.clusterWide() ? clusterBindingsBySubject : namespacedBindingsBySubject;
    }

    private static String indexKey(Binding binding, String subject) {
        return binding.clusterWide() ? subject : namespacedKey(binding.namespace(), subject);
    }

    private static List<Binding> with(List<Binding> list, Binding binding) {
        List<Binding> copy = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
        copy.add(binding);
        return List.copyOf(copy);
    }

    private static List<Binding> without(List<Binding> list, Binding binding) {
        List<Binding> copy = new ArrayList<>(list);
        copy.removeIf(b -> b == binding);
        return copy.isEmpty() ? null : List.copyOf(copy);
    }

    private static String namespacedKey(String namespace, String subjectKey) {
        return namespace + "\u0000" + subjectKey;
    }

    private static String roleKey(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static String bindingKey(String namespace, String name) {
        return namespace + "/" + name;
    }
}
