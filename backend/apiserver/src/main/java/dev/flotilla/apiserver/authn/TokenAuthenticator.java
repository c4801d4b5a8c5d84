package dev.flotilla.apiserver.authn;

import dev.flotilla.api.token.InvalidTokenException;
import java.util.List;
import java.util.Optional;

/**
 * One kind of bearer token (service account JWTs, OIDC ID tokens; platform API tokens and bootstrap
 * tokens later). Each is a bean; {@link BearerTokenAuthentication} asks them in turn.
 */
public interface TokenAuthenticator {

    /**
     * Empty if the token is not of this kind; the user and the audiences it was accepted for if it is
     * and is valid for one of {@code audiences}; {@link InvalidTokenException} if it is but is not valid.
     */
    Optional<TokenAuthentication> authenticate(String token, List<String> audiences) throws InvalidTokenException;
}
