package dev.flotilla.api.auth;

import java.util.Optional;

/**
 * Whether a user is a node, as upstream's {@code NodeIdentifier}: user {@code system:node:<name>} in
 * group {@code system:nodes} (the client certificate a joined node holds).
 */
public final class NodeIdentity {

    public static final String USER_PREFIX = "system:node:";
    public static final String NODES_GROUP = "system:nodes";

    private NodeIdentity() {
    }

    /** The node's name; empty for users that are not nodes (or name none). */
    public static Optional<String> nodeName(UserInfo user) {
        if (!user.inGroup(NODES_GROUP) || !user.name().startsWith(USER_PREFIX)) {
            return Optional.empty();
        }
        String name = user.name().substring(USER_PREFIX.length());
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }
}
