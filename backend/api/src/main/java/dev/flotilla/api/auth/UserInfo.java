package dev.flotilla.api.auth;

import java.util.List;
import java.util.Map;

/**
 * Who made a request, as Kubernetes sees it: a user name, its uid (empty when the credential has
 * none, as client certificates), the groups it belongs to and extra attributes (for service account
 * tokens: the pod, node and credential id).
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    public static final String ANONYMOUS_USER = "system:anonymous";
    public static final String UNAUTHENTICATED_GROUP = "system:unauthenticated";
    public static final String AUTHENTICATED_GROUP = "system:authenticated";
    public static final String MASTERS_GROUP = "system:masters";

    public static final UserInfo ANONYMOUS = new UserInfo(ANONYMOUS_USER, List.of(UNAUTHENTICATED_GROUP));

    public UserInfo {
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    public UserInfo(String name, List<String> groups) {
        this(name, "", groups, Map.of());
    }

    public boolean isAnonymous() {
        return ANONYMOUS_USER.equals(name);
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
