package dev.flotilla.apiserver.authn;

import dev.flotilla.api.auth.UserInfo;
import java.util.List;

/** A token accepted: who it authenticates and which of the requested audiences it is valid for. */
public record TokenAuthentication(UserInfo user, List<String> audiences) {

    public TokenAuthentication {
        audiences = List.copyOf(audiences);
    }
}
