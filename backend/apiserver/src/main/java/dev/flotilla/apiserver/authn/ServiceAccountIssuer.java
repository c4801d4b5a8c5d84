package dev.flotilla.apiserver.authn;

import dev.flotilla.api.token.ServiceAccountTokenSigner;
import dev.flotilla.api.token.ServiceAccountTokenVerifier;
import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.pki.ClusterCertificates;
import jakarta.inject.Singleton;
import java.security.PublicKey;
import java.util.List;

/**
 * This cluster as the issuer of service account tokens: its {@code iss}, the audiences the API
 * accepts by default, and the signer and verifier over the key in the state directory.
 */
@Singleton
public class ServiceAccountIssuer {

    private final String issuer;
    private final List<String> apiAudiences;
    private final List<PublicKey> publicKeys;
    private final ServiceAccountTokenSigner signer;
    private final ServiceAccountTokenVerifier verifier;

    public ServiceAccountIssuer(ApiServerProperties properties, ClusterCertificates certificates) {
        this.issuer = properties.getServiceAccountIssuer();
        this.apiAudiences = properties.getApiAudiences();
        this.publicKeys = List.of(certificates.serviceAccountKeys().getPublic());
        this.signer = new ServiceAccountTokenSigner(certificates.serviceAccountKeys());
        this.verifier = new ServiceAccountTokenVerifier(issuer, publicKeys);
    }

    public String issuer() {
        return issuer;
    }

    public List<String> apiAudiences() {
        return apiAudiences;
    }

    public List<PublicKey> publicKeys() {
        return publicKeys;
    }

    public ServiceAccountTokenSigner signer() {
        return signer;
    }

    public ServiceAccountTokenVerifier verifier() {
        return verifier;
    }
}
