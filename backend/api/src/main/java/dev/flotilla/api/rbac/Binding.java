package dev.flotilla.api.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;

/**
 * A RoleBinding (namespace set) or ClusterRoleBinding (namespace empty) reduced to what decisions
 * need: the role it grants and the index keys of its subjects.
 */
public record Binding(String namespace, String name, String roleKind, String roleName, List<Subject> subjects) {

    public static final String USER = "User";
    public static final String GROUP = "Group";
    public static final String SERVICE_ACCOUNT = "ServiceAccount";

    public static Binding of(ClusterRoleBinding binding) {
        return new Binding("", binding.getMetadata().getName(), binding.getRoleRef().getKind(),
                binding.getRoleRef().getName(), subjects(binding.getSubjects()));
    }

    public static Binding of(RoleBinding binding) {
        return new Binding(binding.getMetadata().getNamespace(), binding.getMetadata().getName(),
                binding.getRoleRef().getKind(), binding.getRoleRef().getName(), subjects(binding.getSubjects()));
    }

    public boolean clusterWide() {
        return namespace.isEmpty();
    }

    /** {@code u:<user>} or {@code g:<group>} per subject; a ServiceAccount is the user {@code system:serviceaccount:<ns>:<name>}. */
    public List<String> subjectKeys() {
        List<String> keys = new ArrayList<>(subjects.size());
        for (Subject subject : subjects) {
            String key = subjectKey(subject);
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    private String subjectKey(Subject subject) {
        if (subject.getKind() == null || subject.getName() == null) {
            return null;
        }
        return switch (subject.getKind()) {
            case USER -> userKey(subject.getName());
            case GROUP -> groupKey(subject.getName());
            case SERVICE_ACCOUNT -> userKey(serviceAccountUser(
                    subject.getNamespace() == null || subject.getNamespace().isEmpty() ? namespace : subject.getNamespace(),
                    subject.getName()));
            default -> null;
        };
    }

    public static String serviceAccountUser(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    static String userKey(String user) {
        return "u:" + user;
    }

    static String groupKey(String group) {
        return "g:" + group;
    }

    /** Upstream's wording for an allow reason: {@code ClusterRoleBinding "x" of ClusterRole "y" to User "alice"}. */
    String describe(String subjectKey) {
        String to = subjects.stream().filter(s -> subjectKey.equals(subjectKey(s))).findFirst()
                .map(s -> s.getKind() + " \"" + (SERVICE_ACCOUNT.equals(s.getKind()) ? namespaceOf(s) + "/" + s.getName()
                        : s.getName()) + "\"")
                .orElse(subjectKey);
        String self = clusterWide() ? "ClusterRoleBinding \"" + name + "\"" : "RoleBinding \"" + name + "/" + namespace + "\"";
        return self + " of " + roleKind + " \"" + roleName + "\" to " + to;
    }

    private String namespaceOf(Subject subject) {
        return subject.getNamespace() == null || subject.getNamespace().isEmpty() ? namespace : subject.getNamespace();
    }

    private static List<Subject> subjects(List<Subject> subjects) {
        return subjects == null ? List.of() : List.copyOf(subjects);
    }
}
