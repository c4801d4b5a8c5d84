package dev.flotilla.apiserver.authn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.bootstrap.BootstrapToken;
import dev.flotilla.api.bootstrap.BootstrapTokenSecret;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.token.InvalidTokenException;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bootstrap tokens ({@code <id>.<secret>}), as upstream's bootstrap token authenticator: the Secret
 * {@code kube-system/bootstrap-token-<id>} of type {@code bootstrap.kubernetes.io/token} must exist, not
 * be deleting or expired, allow {@code usage-bootstrap-authentication}, and hold the same secret
 * (compared in constant time). The user is {@code system:bootstrap:<id>} in {@code system:bootstrappers}
 * and the Secret's {@code auth-extra-groups}. Why a token failed is logged at debug level only; the
 * caller sees a bare 401.
 */
@Singleton
public class BootstrapTokenAuthenticator implements TokenAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapTokenAuthenticator.class);

    private final ResourceStore store;
    private final ResourceType secrets;
    private final Clock clock;

    public BootstrapTokenAuthenticator(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.secrets = registry.find("", "v1", "secrets").orElseThrow();
        this.clock = Clock.systemUTC();
    }

    @Override
    public Optional<TokenAuthentication> authenticate(String value, List<String> audiences)
            throws InvalidTokenException {
        Optional<BootstrapToken> parsed = BootstrapToken.parse(value);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        BootstrapToken token = parsed.get();
        Optional<ObjectNode> secret = store.get(secrets, BootstrapToken.SECRET_NAMESPACE, token.secretName());
        if (secret.isEmpty()) {
            throw refused(token, "no such token Secret");
        }
        if (secret.get().path("metadata").hasNonNull("deletionTimestamp")) {
            throw refused(token, "its Secret is being deleted");
        }
        BootstrapTokenSecret stored = BootstrapTokenSecret.of(secret.get().path("type").asText(),
                token.secretName(), dataOf(secret.get())).orElseThrow(() -> refused(token, "malformed Secret"));
        if (!MessageDigest.isEqual(stored.token().secret().getBytes(StandardCharsets.US_ASCII),
                token.secret().getBytes(StandardCharsets.US_ASCII))) {
            throw refused(token, "secret does not match");
        }
        if (stored.expired(Instant.now(clock))) {
            throw refused(token, "expired");
        }
        if (!stored.authentication()) {
            throw refused(token, "usage-bootstrap-authentication is not true");
        }
        if (!stored.extraGroupsValid()) {
            throw refused(token, "auth-extra-groups outside system:bootstrappers:");
        }
        List<String> groups = new ArrayList<>(List.of(BootstrapToken.GROUP));
        stored.extraGroups().stream().filter(g -> !groups.contains(g)).forEach(groups::add);
        groups.add(UserInfo.AUTHENTICATED_GROUP);
        return Optional.of(new TokenAuthentication(new UserInfo(token.userName(), groups), audiences));
    }

    private static Map<String, String> dataOf(JsonNode secret) {
        Map<String, String> data = new LinkedHashMap<>();
        secret.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText("")));
        return data;
    }

    private static InvalidTokenException refused(BootstrapToken token, String why) {
        LOG.debug("refused {}: {}", token, why);
        return new InvalidTokenException("invalid bootstrap token");
    }
}
