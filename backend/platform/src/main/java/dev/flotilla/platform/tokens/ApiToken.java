package dev.flotilla.platform.tokens;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A platform API token as its owner sees it (never the secret): scopes are an optional namespace and
 * read-only; {@code lastUsedAt} and {@code revokedAt} are null until they happen.
 */
public record ApiToken(UUID id, String prefix, String owner, List<String> ownerGroups, String name, String namespace,
        boolean readOnly, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    public ApiToken {
        ownerGroups = List.copyOf(ownerGroups);
    }

    public boolean usableAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
