package dev.flotilla.api.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a platform API token limits its holder to, beyond RBAC: one namespace (null: none) and
 * read-only (get, list and watch). It travels in the user's extra attributes from authentication to
 * authorization, so a request made with a scoped token carries its limits.
 */
public record ApiTokenScope(String namespace, boolean readOnly) {

    public static final String TOKEN_NAME = "tokens.flotilla.dev/name";
    public static final String NAMESPACE = "tokens.flotilla.dev/namespace";
    public static final String READ_ONLY = "tokens.flotilla.dev/read-only";

    /** The extra attributes of a user authenticated by the named token with this scope. */
    public Map<String, List<String>> extra(String tokenName) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        extra.put(TOKEN_NAME, List.of(tokenName));
        if (namespace != null) {
            extra.put(NAMESPACE, List.of(namespace));
        }
        if (readOnly) {
            extra.put(READ_ONLY, List.of("true"));
        }
        return extra;
    }

    /** The scope of the token a user authenticated with; empty if it was not an API token. */
    public static Optional<ApiTokenScope> of(UserInfo user) {
        if (!user.extra().containsKey(TOKEN_NAME)) {
            return Optional.empty();
        }
        List<String> namespace = user.extra().getOrDefault(NAMESPACE, List.of());
        return Optional.of(new ApiTokenScope(namespace.isEmpty() ? null : namespace.get(0),
                user.extra().getOrDefault(READ_ONLY, List.of()).contains("true")));
    }
}
