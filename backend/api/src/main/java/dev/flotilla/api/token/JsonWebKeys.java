package dev.flotilla.api.token;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

/** The JWKS document ({@code /openid/v1/jwks}) that lets others verify service account tokens. */
public final class JsonWebKeys {

    private JsonWebKeys() {
    }

    public static String document(List<PublicKey> keys) {
        try {
            List<JsonWebKey> jwks = new ArrayList<>();
            for (PublicKey key : keys) {
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key);
                jwk.setKeyId(SigningKeyIds.of(key));
                jwk.setUse("sig");
                jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
                jwks.add(jwk);
            }
            return new JsonWebKeySet(jwks).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot encode a public key as JWK: " + e.getMessage(), e);
        }
    }
}
