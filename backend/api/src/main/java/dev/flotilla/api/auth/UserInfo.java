package dev.flotilla.api.auth;

import java.util.List;

/** Who made a request, as Kubernetes sees it: a user name and the groups it belongs to. */
public record UserInfo(String name, List<String> groups) {

    public static final String ANONYMOUS_USER = "system:anonymous";
    public static final String UNAUTHENTICATED_GROUP = "system:unauthenticated";
    public static final String AUTHENTICATED_GROUP = "system:authenticated";
    public static final String MASTERS_GROUP = "system:masters";

    public static final UserInfo ANONYMOUS = new UserInfo(ANONYMOUS_USER, List.of(UNAUTHENTICATED_GROUP));

    public UserInfo {
        groups = List.copyOf(groups);
    }

    public boolean isAnonymous() {
        return ANONYMOUS_USER.equals(name);
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
