package dev.flotilla.apiserver.authn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.token.BoundObject;
import dev.flotilla.api.token.InvalidTokenException;
import dev.flotilla.api.token.ServiceAccountClaims;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Service account tokens this cluster issued: valid while signed with our key, unexpired, meant for
 * one of the audiences, and while the service account and the pod or secret it is bound to still
 * exist with the same uid (as upstream's token validator, which reads them live).
 */
@Singleton
public class ServiceAccountTokenAuthenticator implements TokenAuthenticator {

    static final String INVALIDATED = "service account token has been invalidated";
    private static final String EXTRA = "authentication.kubernetes.io/";

    private final ServiceAccountIssuer issuer;
    private final ResourceStore store;
    private final ResourceType serviceAccounts;
    private final ResourceType pods;
    private final ResourceType secrets;

    public ServiceAccountTokenAuthenticator(ServiceAccountIssuer issuer, ResourceStore store,
            ResourceRegistry registry) {
        this.issuer = issuer;
        this.store = store;
        this.serviceAccounts = registry.find("", "v1", "serviceaccounts").orElseThrow();
        this.pods = registry.find("", "v1", "pods").orElseThrow();
        this.secrets = registry.find("", "v1", "secrets").orElseThrow();
    }

    @Override
    public Optional<TokenAuthentication> authenticate(String token, List<String> audiences)
            throws InvalidTokenException {
        if (!issuer.verifier().isFromIssuer(token)) {
            return Optional.empty();
        }
        ServiceAccountClaims claims = issuer.verifier().verify(token, audiences, Instant.now());
        requireLive(serviceAccounts, claims.namespace(), claims.serviceAccount(), "service account");
        if (claims.pod() != null) {
            requireLive(pods, claims.namespace(), claims.pod(), "pod");
        }
        if (claims.secret() != null) {
            requireLive(secrets, claims.namespace(), claims.secret(), "secret");
        }
        List<String> accepted = claims.audiences().stream().filter(audiences::contains).toList();
        return Optional.of(new TokenAuthentication(userOf(claims), accepted));
    }

    private void requireLive(ResourceType type, String namespace, BoundObject bound, String what)
            throws InvalidTokenException {
        // From the watch cache (etcd when not cached), as upstream's token getter reads informers.
        Optional<ObjectNode> current = store.getPreferCached(type, namespace, bound.name());
        if (current.isEmpty() || current.get().path("metadata").hasNonNull("deletionTimestamp")) {
            throw new InvalidTokenException(INVALIDATED);
        }
        String uid = current.get().path("metadata").path("uid").asText("");
        if (!uid.equals(bound.uid())) {
            throw new InvalidTokenException(what + " UID (" + uid + ") does not match claim (" + bound.uid() + ")");
        }
    }

    private static UserInfo userOf(ServiceAccountClaims claims) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (claims.pod() != null) {
            extra.put(EXTRA + "pod-name", List.of(claims.pod().name()));
            extra.put(EXTRA + "pod-uid", List.of(claims.pod().uid()));
        }
        if (claims.node() != null) {
            extra.put(EXTRA + "node-name", List.of(claims.node().name()));
            if (!claims.node().uid().isEmpty()) {
                extra.put(EXTRA + "node-uid", List.of(claims.node().uid()));
            }
        }
        if (!claims.tokenId().isEmpty()) {
            extra.put(EXTRA + "credential-id", List.of("JTI=" + claims.tokenId()));
        }
        return new UserInfo(claims.subject(), claims.serviceAccount().uid(), List.of("system:serviceaccounts",
                "system:serviceaccounts:" + claims.namespace(), UserInfo.AUTHENTICATED_GROUP), extra);
    }
}
