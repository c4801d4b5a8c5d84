package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.api.token.BoundObject;
import dev.flotilla.api.token.ServiceAccountClaims;
import dev.flotilla.api.token.ServiceAccountTokenSigner;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TokenRequest, bearer-token authentication, TokenReview and issuer discovery, through kubectl and raw HTTP. */
class ServiceAccountTokensIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        ok("create", "namespace", "x");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRequestedTokenAuthenticatesAsItsServiceAccountUntilTheAccountIsDeleted() throws Exception {
        ok("create", "serviceaccount", "robot", "-n", "x");
        String uid = ok("get", "serviceaccount", "robot", "-n", "x", "-o", "jsonpath={.metadata.uid}").output().trim();
        String token = ok("create", "token", "robot", "-n", "x", "--duration", "10m").output().trim();

        JsonNode claims = payload(token);
        assertThat(claims.path("iss").asText()).isEqualTo(ISSUER);
        assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:x:robot");
        assertThat(claims.path("aud").get(0).asText()).isEqualTo(ISSUER);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(600);
        assertThat(claims.at("/kubernetes.io/serviceaccount/uid").asText()).isEqualTo(uid);

        Command.Result whoami = cluster.kubectlWithToken(token, "auth", "whoami");
        assertThat(whoami.exitCode()).as(whoami.output()).isZero();
        assertThat(whoami.output()).containsPattern("Username\\s+system:serviceaccount:x:robot")
                .containsPattern("UID\\s+" + uid)
                .contains("[system:serviceaccounts system:serviceaccounts:x system:authenticated]")
                .contains("authentication.kubernetes.io/credential-id");
        assertThat(cluster.kubectlWithToken(token, "get", "configmaps", "-n", "x").output())
                .contains("configmaps is forbidden: User \"system:serviceaccount:x:robot\" cannot list resource");
        ok("create", "rolebinding", "robot-view", "-n", "x", "--clusterrole=view", "--serviceaccount=x:robot");
        Await.until(Duration.ofSeconds(5), "the binding takes effect",
                () -> cluster.kubectlWithToken(token, "get", "configmaps", "-n", "x").exitCode() == 0);

        JsonNode review = tokenReview(token, List.of());
        assertThat(review.at("/status/authenticated").asBoolean()).isTrue();
        assertThat(review.at("/status/user/username").asText()).isEqualTo("system:serviceaccount:x:robot");
        assertThat(review.at("/status/user/uid").asText()).isEqualTo(uid);
        assertThat(review.at("/status/audiences/0").asText()).isEqualTo(ISSUER);

        ok("delete", "serviceaccount", "robot", "-n", "x");
        assertUnauthorized(token);
        assertThat(tokenReview(token, List.of()).at("/status/error").asText())
                .isEqualTo("service account token has been invalidated");

        // Same name, new uid: the old token must not come back to life.
        ok("create", "serviceaccount", "robot", "-n", "x");
        assertUnauthorized(token);
        assertThat(tokenReview(token, List.of()).at("/status/error").asText())
                .startsWith("service account UID (").endsWith("does not match claim (" + uid + ")");
    }

    @Test
    void expiredForgedAndForeignAudienceTokensAreRefused() throws Exception {
        ok("create", "serviceaccount", "old", "-n", "x");
        String uid = ok("get", "serviceaccount", "old", "-n", "x", "-o", "jsonpath={.metadata.uid}").output().trim();
        KeyPair key = new KeyPair(PemFiles.readPublicKey(cluster.pkiDir().resolve("sa.pub")),
                PemFiles.readPrivateKey(cluster.pkiDir().resolve("sa.key")));
        Instant issued = Instant.now().minusSeconds(3600);
        String expired = new ServiceAccountTokenSigner(key).sign(new ServiceAccountClaims(ISSUER, List.of(ISSUER),
                issued, issued, issued.plusSeconds(600), "jti", "x", new BoundObject("old", uid), null, null, null));
        assertUnauthorized(expired);
        JsonNode review = tokenReview(expired, List.of());
        assertThat(review.at("/status/authenticated").asBoolean()).isFalse();
        assertThat(review.at("/status/error").asText()).isEqualTo("service account token has expired");

        String valid = ok("create", "token", "old", "-n", "x").output().trim();
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertUnauthorized(tampered);
        assertThat(tokenReview(tampered, List.of()).at("/status/error").asText()).isEqualTo("token signature is invalid");

        String vault = ok("create", "token", "old", "-n", "x", "--audience", "vault").output().trim();
        assertUnauthorized(vault);
        JsonNode forVault = tokenReview(vault, List.of("vault", "other"));
        assertThat(forVault.at("/status/authenticated").asBoolean()).isTrue();
        assertThat(forVault.at("/status/audiences").toString()).isEqualTo("[\"vault\"]");
        assertThat(tokenReview(vault, List.of()).at("/status/error").asText()).isEqualTo(
                "token audiences [\"vault\"] is invalid for the target audiences [\"" + ISSUER + "\"]");

        assertUnauthorized("not-a-token-we-know");
    }

    @Test
    void aPodBoundTokenDiesWithItsPod() throws Exception {
        ok("create", "serviceaccount", "web", "-n", "x");
        cluster.kubectl("apply", "-n", "x", "-f", cluster.file("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  serviceAccountName: web
                  containers: [{name: c, image: busybox}]
                """).toString()).assertSuccess();
        String podUid = ok("get", "pod", "web", "-n", "x", "-o", "jsonpath={.metadata.uid}").output().trim();
        String token = ok("create", "token", "web", "-n", "x", "--bound-object-kind", "Pod",
                "--bound-object-name", "web").output().trim();
        assertThat(payload(token).at("/kubernetes.io/pod/uid").asText()).isEqualTo(podUid);
        Command.Result whoami = cluster.kubectlWithToken(token, "auth", "whoami");
        assertThat(whoami.output()).contains("authentication.kubernetes.io/pod-name").contains("[web]")
                .contains("[" + podUid + "]");

        Await.until(Duration.ofSeconds(30), "the default service account of x",
                () -> cluster.kubectl("get", "serviceaccount", "default", "-n", "x").exitCode() == 0);
        Command.Result otherAccount = cluster.kubectl("create", "token", "default", "-n", "x",
                "--bound-object-kind", "Pod", "--bound-object-name", "web");
        assertThat(otherAccount.output()).contains(
                "cannot bind token for serviceaccount \"default\" to pod running with different serviceaccount name.");
        Command.Result missing = cluster.kubectl("create", "token", "web", "-n", "x", "--bound-object-kind", "Secret",
                "--bound-object-name", "nope");
        assertThat(missing.output()).contains("secrets \"nope\" not found");

        ok("delete", "pod", "web", "-n", "x", "--grace-period=0", "--force");
        assertUnauthorized(token);
    }

    @Test
    void badTokenRequestsGetUpstreamErrors() throws Exception {
        ok("create", "serviceaccount", "short", "-n", "x");
        Command.Result tooShort = cluster.kubectl("create", "token", "short", "-n", "x", "--duration", "5m");
        assertThat(tooShort.exitCode()).isNotZero();
        assertThat(tooShort.output()).contains("TokenRequest.authentication.k8s.io \"\" is invalid: "
                + "spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes");
        Command.Result noAccount = cluster.kubectl("create", "token", "ghost", "-n", "x");
        assertThat(noAccount.output()).contains("serviceaccounts \"ghost\" not found");

        HttpResponse<String> wrongKind = post("/api/v1/namespaces/x/serviceaccounts/short/token", """
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest",
                 "spec":{"boundObjectRef":{"apiVersion":"v1","kind":"ConfigMap","name":"c"}}}""");
        assertThat(wrongKind.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrongKind.body()).path("message").asText())
                .isEqualTo("cannot bind token to object of type /v1, Kind=ConfigMap");
        HttpResponse<String> wrongName = post("/api/v1/namespaces/x/serviceaccounts/short/token", """
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{"name":"other"}}""");
        assertThat(wrongName.statusCode()).isEqualTo(422);
    }

    @Test
    void issuerDiscoveryPublishesTheSigningKeyToAuthenticatedCallers() throws Exception {
        ok("create", "serviceaccount", "reader", "-n", "x");
        String token = ok("create", "token", "reader", "-n", "x").output().trim();
        HttpResponse<String> config = withToken("/.well-known/openid-configuration", token);
        assertThat(config.statusCode()).isEqualTo(200);
        JsonNode document = JSON.readTree(config.body());
        assertThat(document.path("issuer").asText()).isEqualTo(ISSUER);
        assertThat(document.path("jwks_uri").asText()).endsWith("/openid/v1/jwks");
        assertThat(document.path("id_token_signing_alg_values_supported").toString()).isEqualTo("[\"RS256\"]");

        HttpResponse<String> jwks = withToken("/openid/v1/jwks", token);
        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(jwks.headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
        String kid = JSON.readTree(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0])))
                .path("kid").asText();
        assertThat(JSON.readTree(jwks.body()).at("/keys/0/kid").asText()).isEqualTo(kid);

        assertThat(withToken("/openid/v1/jwks", null).statusCode()).isEqualTo(401);

        // A restarted server (or a second one on the same state directory) keeps the key: old tokens stay valid.
        cluster.restartServer();
        assertThat(cluster.kubectlWithToken(token, "auth", "whoami").exitCode()).isZero();
    }

    private static void assertUnauthorized(String token) {
        Command.Result result = cluster.kubectlWithToken(token, "auth", "whoami");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("Unauthorized");
    }

    private static JsonNode tokenReview(String token, List<String> audiences) throws Exception {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("apiVersion", "authentication.k8s.io/v1")
                .put("kind", "TokenReview").set("spec", JSON.createObjectNode().put("token", token)
                        .set("audiences", JSON.valueToTree(audiences))));
        HttpResponse<String> response = post("/apis/authentication.k8s.io/v1/tokenreviews", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(String path, String body) {
        return cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> withToken(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.url() + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return cluster.anonymous().send(request.build());
    }

    private static JsonNode payload(String token) throws Exception {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static Command.Result ok(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }
}
