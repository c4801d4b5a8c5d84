package dev.flotilla.api.token;

import java.time.Instant;
import java.util.List;

/**
 * What a service account token says, in upstream's claim layout: {@code iss}, {@code sub}
 * ({@code system:serviceaccount:<ns>:<name>}), {@code aud}, {@code iat}/{@code nbf}/{@code exp},
 * {@code jti}, and under {@code kubernetes.io} the namespace, the service account and the objects the
 * token is bound to ({@code pod}, {@code secret}, {@code node}; null when not bound).
 */
public record ServiceAccountClaims(
        String issuer,
        List<String> audiences,
        Instant issuedAt,
        Instant notBefore,
        Instant expiresAt,
        String tokenId,
        String namespace,
        BoundObject serviceAccount,
        BoundObject pod,
        BoundObject secret,
        BoundObject node) {

    public static final String USER_PREFIX = "system:serviceaccount:";

    public ServiceAccountClaims {
        audiences = List.copyOf(audiences);
    }

    public String subject() {
        return USER_PREFIX + namespace + ":" + serviceAccount.name();
    }
}
