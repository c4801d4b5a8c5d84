package dev.flotilla.apiserver.authn.oidc;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.util.List;

/**
 * OpenID Connect authentication, as kube-apiserver's {@code --oidc-*} flags: set as
 * {@code flotilla.apiserver.oidc.*} properties (for example {@code --flotilla.apiserver.oidc.issuer-url=...})
 * or {@code FLOTILLA_APISERVER_OIDC_*} environment variables. Off while {@code issuer-url} is empty.
 */
@ConfigurationProperties("flotilla.apiserver.oidc")
public class OidcProperties {

    /** Issuer URL ({@code --oidc-issuer-url}): https, equal to the tokens' {@code iss}. */
    private String issuerUrl = "";
    /** Audience the tokens must carry ({@code --oidc-client-id}). */
    private String clientId = "";
    private String usernameClaim = "sub";
    /** Unset: the issuer URL and {@code #} for claims other than email; {@code -}: no prefix. */
    private String usernamePrefix;
    private String groupsClaim = "";
    private String groupsPrefix = "";
    /** PEM CA bundle that signs the issuer's serving certificate; unset: the JDK's trust store. */
    private Path caFile;
    /** {@code key=value} pairs every token must carry ({@code --oidc-required-claim}). */
    private List<String> requiredClaims = List.of();
    private List<String> signingAlgs = List.of("RS256");

    public boolean isEnabled() {
        return !issuerUrl.isEmpty();
    }

    public String getIssuerUrl() {
        return issuerUrl;
    }

    public void setIssuerUrl(String issuerUrl) {
        this.issuerUrl = issuerUrl == null ? "" : issuerUrl;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getUsernameClaim() {
        return usernameClaim;
    }

    public void setUsernameClaim(String usernameClaim) {
        this.usernameClaim = usernameClaim;
    }

    public String getUsernamePrefix() {
        return usernamePrefix;
    }

    public void setUsernamePrefix(String usernamePrefix) {
        this.usernamePrefix = usernamePrefix;
    }

    public String getGroupsClaim() {
        return groupsClaim;
    }

    public void setGroupsClaim(String groupsClaim) {
        this.groupsClaim = groupsClaim;
    }

    public String getGroupsPrefix() {
        return groupsPrefix;
    }

    public void setGroupsPrefix(String groupsPrefix) {
        this.groupsPrefix = groupsPrefix;
    }

    public Path getCaFile() {
        return caFile;
    }

    public void setCaFile(Path caFile) {
        this.caFile = caFile;
    }

    public List<String> getRequiredClaims() {
        return requiredClaims;
    }

    public void setRequiredClaims(List<String> requiredClaims) {
        this.requiredClaims = List.copyOf(requiredClaims);
    }

    public List<String> getSigningAlgs() {
        return signingAlgs;
    }

    public void setSigningAlgs(List<String> signingAlgs) {
        this.signingAlgs = List.copyOf(signingAlgs);
    }
}
