package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.FreePorts;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OIDC ID tokens from a real OpenID Connect provider (mock-oauth2-server over HTTPS on loopback,
 * trusted through a CA file), configured like kube-apiserver's --oidc-* flags, used by kubectl.
 */
class OidcAuthenticationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REALM = "acme";
    private static MockOAuth2Server provider;
    private static ControlPlane cluster;
    private static String issuer;

    @BeforeAll
    static void start() throws Exception {
        OAuth2Config config = OAuth2Config.Companion.fromJson(
                "{\"httpServer\":{\"type\":\"MockWebServerWrapper\",\"ssl\":{}}}");
        provider = new MockOAuth2Server(config);
        provider.start(InetAddress.getLoopbackAddress(), FreePorts.next());
        issuer = provider.issuerUrl(REALM).toString();
        cluster = ControlPlane.start(
                "--flotilla.apiserver.oidc.issuer-url=" + issuer,
                "--flotilla.apiserver.oidc.client-id=kubectl",
                "--flotilla.apiserver.oidc.username-prefix=oidc:",
                "--flotilla.apiserver.oidc.groups-claim=groups",
                "--flotilla.apiserver.oidc.groups-prefix=oidc:",
                "--flotilla.apiserver.oidc.required-claims=tenant=acme",
                "--flotilla.apiserver.oidc.ca-file=" + providerCa(config));
        ok("create", "namespace", "team");
    }

    /** The provider's self-signed serving certificate, written as the CA file the server trusts. */
    private static Path providerCa(OAuth2Config config) throws Exception {
        KeyStore keyStore = ((MockWebServerWrapper) config.getHttpServer()).getSsl().getSslKeystore().getKeyStore();
        Path file = Files.createTempFile("oidc-ca-", ".crt");
        file.toFile().deleteOnExit();
        Files.writeString(file, PemFiles.toPem(keyStore.getCertificate(keyStore.aliases().nextElement())));
        return file;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
    }

    @Test
    void kubectlWithAnIdTokenActsAsThePrefixedUserAndGroups() {
        String token = idToken("alice", "kubectl", Map.of("groups", List.of("developers", "ops"), "tenant", "acme"), 3600);

        Command.Result whoami = cluster.kubectlWithToken(token, "auth", "whoami");
        assertThat(whoami.exitCode()).as(whoami.output()).isZero();
        assertThat(whoami.output()).containsPattern("Username\\s+oidc:alice")
                .contains("[oidc:developers oidc:ops system:authenticated]");

        assertThat(cluster.kubectlWithToken(token, "get", "configmaps", "-n", "team").output())
                .contains("User \"oidc:alice\" cannot list resource \"configmaps\"");
        ok("create", "rolebinding", "developers-view", "-n", "team", "--clusterrole=view", "--group=oidc:developers");
        Await.until(Duration.ofSeconds(10), "the group's binding takes effect",
                () -> cluster.kubectlWithToken(token, "get", "configmaps", "-n", "team").exitCode() == 0);
    }

    @Test
    void badIdTokensGetAPlain401() throws Exception {
        String valid = idToken("bob", "kubectl", Map.of("tenant", "acme"), 3600);
        String[] parts = valid.split("\\.");
        Map<String, String> bad = Map.of(
                "expired", idToken("bob", "kubectl", Map.of("tenant", "acme"), -120),
                "another audience", idToken("bob", "vault", Map.of("tenant", "acme"), 3600),
                "required claim missing", idToken("bob", "kubectl", Map.of(), 3600),
                "required claim differs", idToken("bob", "kubectl", Map.of("tenant", "other"), 3600),
                "another issuer", provider.issueToken("other", "bob", new DefaultOAuth2TokenCallback("other", "bob",
                        "JWT", List.of("kubectl"), Map.of("tenant", "acme"), 3600)).serialize(),
                "tampered signature", parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse());
        assertThat(status(valid).statusCode()).as("authenticated, but not allowed").isEqualTo(403);
        for (Map.Entry<String, String> token : bad.entrySet()) {
            HttpResponse<String> response = status(token.getValue());
            assertThat(response.statusCode()).as(token.getKey()).isEqualTo(401);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("kind").asText()).isEqualTo("Status");
            assertThat(body.path("message").asText()).as(token.getKey()).isEqualTo("Unauthorized");
            assertThat(body.path("reason").asText()).isEqualTo("Unauthorized");
        }
        Command.Result kubectl = cluster.kubectlWithToken(bad.get("expired"), "get", "pods", "-n", "team");
        assertThat(kubectl.exitCode()).isNotZero();
        assertThat(kubectl.output()).contains("You must be logged in to the server (Unauthorized)");
    }

    @Test
    void tokenReviewAcceptsAnIdTokenForTheApiAudience() throws Exception {
        String token = idToken("carol", "kubectl", Map.of("groups", "admins", "tenant", "acme"), 3600);
        String review = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\""
                + token + "\"}}";
        HttpResponse<String> response = cluster.admin().send(HttpRequest.newBuilder(
                URI.create(cluster.url() + "/apis/authentication.k8s.io/v1/tokenreviews"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(review)).build());
        JsonNode status = JSON.readTree(response.body()).path("status");
        assertThat(status.path("authenticated").asBoolean()).as(response.body()).isTrue();
        assertThat(status.at("/user/username").asText()).isEqualTo("oidc:carol");
        assertThat(status.at("/user/groups").toString()).isEqualTo("[\"oidc:admins\",\"system:authenticated\"]");
    }

    private static String idToken(String subject, String audience, Map<String, Object> claims, long expirySeconds) {
        return provider.issueToken(REALM, subject, new DefaultOAuth2TokenCallback(REALM, subject, "JWT",
                List.of(audience), claims, expirySeconds)).serialize();
    }

    private static HttpResponse<String> status(String token) {
        return cluster.anonymous().send(HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/team"))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    private static Command.Result ok(String... args) {
        Command.Result result = cluster.kubectl(args);
        assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.output()).isZero();
        return result;
    }
}
