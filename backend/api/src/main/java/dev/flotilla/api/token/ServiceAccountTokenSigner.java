package dev.flotilla.api.token;

import java.security.KeyPair;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/** Signs service account tokens: RS256 JWTs with the service-account key, {@code kid} from its public half. */
public final class ServiceAccountTokenSigner {

    private final KeyPair keys;
    private final String keyId;

    public ServiceAccountTokenSigner(KeyPair keys) {
        this.keys = keys;
        this.keyId = SigningKeyIds.of(keys.getPublic());
    }

    public String sign(ServiceAccountClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(keyId);
        jws.setKey(keys.getPrivate());
        jws.setPayload(ClaimsJson.write(claims).toString());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a service account token: " + e.getMessage(), e);
        }
    }
}
