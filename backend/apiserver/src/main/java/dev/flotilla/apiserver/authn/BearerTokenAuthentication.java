package dev.flotilla.apiserver.authn;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.token.InvalidTokenException;
import dev.flotilla.apiserver.ApiServerProperties;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Authorization: Bearer <token>}: asks each {@link TokenAuthenticator} in turn. A request with
 * a token nobody accepts is a 401 even though it could have gone on as anonymous, as upstream.
 * TokenReview asks the same question and reports the answer instead.
 */
@Singleton
public class BearerTokenAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenAuthentication.class);
    private static final String PREFIX = "bearer ";

    private final List<TokenAuthenticator> authenticators;
    private final List<String> apiAudiences;

    public BearerTokenAuthentication(List<TokenAuthenticator> authenticators, ApiServerProperties properties) {
        this.authenticators = List.copyOf(authenticators);
        this.apiAudiences = properties.getApiAudiences();
    }

    /** The token of an Authorization header, if it carries a bearer token. */
    public static Optional<String> tokenOf(String authorization) {
        if (authorization == null || authorization.length() <= PREFIX.length()
                || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.empty();
        }
        String token = authorization.substring(PREFIX.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** The user of a request's token, or 401 Unauthorized. */
    public UserInfo authenticate(String token) {
        try {
            return review(token, List.of()).user();
        } catch (InvalidTokenException e) {
            // The reason stays in the log: the client learns only that it is not authenticated.
            LOG.debug("bearer token rejected: {}", e.getMessage());
            throw ApiError.unauthorized();
        }
    }

    /** What TokenReview answers: the user and audiences, or why the token is not valid. */
    public TokenAuthentication review(String token, List<String> audiences) throws InvalidTokenException {
        List<String> wanted = audiences.isEmpty() ? apiAudiences : audiences;
        for (TokenAuthenticator authenticator : authenticators) {
            Optional<TokenAuthentication> result = authenticator.authenticate(token, wanted);
            if (result.isPresent()) {
                return result.get();
            }
        }
        throw new InvalidTokenException("invalid bearer token");
    }
}
