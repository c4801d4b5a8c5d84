package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.server.FlotillaServer;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.HttpsClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Platform API tokens end to end: a signed-in user (here by client certificate) creates, lists and
 * revokes tokens through the REST endpoint with kubectl, and kubectl uses them as bearer tokens.
 */
class ApiTokensIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKENS = "/apis/tokens.flotilla.dev/v1/apitokens";
    private static ControlPlane cluster;
    private static Path alice;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        alice = cluster.kubeconfigFor("alice", "dev");
        ok(cluster.kubectl("create", "namespace", "team"));
        ok(cluster.kubectl("create", "namespace", "other"));
        ok(cluster.kubectl("create", "rolebinding", "dev-edit", "-n", "team", "--clusterrole=edit", "--group=dev"));
        ok(cluster.kubectl("create", "rolebinding", "dev-edit", "-n", "other", "--clusterrole=edit", "--group=dev"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTokenActsAsItsOwnerIsListedWithItsLastUseAndStopsWorkingWithinASecondOfRevocation() throws Exception {
        JsonNode created = create("laptop", "{\"expirationSeconds\":3600}");
        String token = created.at("/status/token").asText();
        assertThat(token).startsWith("flt_");
        assertThat(created.at("/metadata/name").asText()).isEqualTo("laptop");

        Command.Result whoami = cluster.kubectlWithToken(token, "auth", "whoami");
        assertThat(whoami.output()).containsPattern("Username\\s+alice").contains("[dev system:authenticated]")
                .contains("tokens.flotilla.dev/name");
        ok(cluster.kubectlWithToken(token, "create", "configmap", "made-with-a-token", "-n", "team"));

        Await.until(Duration.ofSeconds(20), "the token's last use is recorded", () -> {
            JsonNode list = json(ok(cluster.kubectlWith(alice, "get", "--raw", TOKENS)).output());
            return list.at("/items/0/status/lastUsedTimestamp").isTextual();
        });
        JsonNode list = json(ok(cluster.kubectlWith(alice, "get", "--raw", TOKENS)).output());
        assertThat(list.path("kind").asText()).isEqualTo("ApiTokenList");
        assertThat(list.at("/items/0/status/token").isMissingNode()).as("shown once, at creation").isTrue();
        assertThat(json(ok(cluster.kubectl("get", "--raw", TOKENS)).output()).path("items"))
                .as("each user sees only their own tokens").isEmpty();

        // A second API server has the token's row cached when the first one revokes it.
        FlotillaServer second = cluster.startAnotherServer();
        try {
            HttpsClient viaSecond = HttpsClient.anonymous("https://127.0.0.1:" + second.port(), cluster.pkiDir());
            assertThat(configMapsAs(viaSecond, token)).isEqualTo(200);
            ok(cluster.kubectlWith(alice, "delete", "--raw", TOKENS + "/laptop"));
            assertThat(configMapsAs(cluster.anonymous(), token)).as("at once on the revoking server").isEqualTo(401);
            Duration elapsed = Await.until(Duration.ofSeconds(1), "revocation reaches the second server",
                    () -> configMapsAs(viaSecond, token) == 401);
            assertThat(elapsed).isLessThan(Duration.ofSeconds(1));
        } finally {
            second.stop();
        }
        Command.Result revoked = cluster.kubectlWithToken(token, "get", "configmaps", "-n", "team");
        assertThat(revoked.output()).contains("You must be logged in to the server (Unauthorized)");
        assertThat(cluster.kubectlWith(alice, "delete", "--raw", TOKENS + "/laptop").output())
                .contains("apitokens.tokens.flotilla.dev \"laptop\" not found");
    }

    @Test
    void aReadOnlyNamespaceTokenMayOnlyReadItsNamespace() throws Exception {
        String token = create("reader", "{\"namespace\":\"team\",\"readOnly\":true}").at("/status/token").asText();

        ok(cluster.kubectlWithToken(token, "get", "configmaps", "-n", "team"));
        assertThat(cluster.kubectlWithToken(token, "create", "configmap", "x", "-n", "team").output())
                .contains("configmaps is forbidden: User \"alice\" cannot create resource \"configmaps\"")
                .contains("the API token is read-only");
        assertThat(cluster.kubectlWithToken(token, "get", "configmaps", "-n", "other").output())
                .contains("the API token is limited to the namespace \"team\"");
        assertThat(cluster.kubectlWithToken(token, "get", "namespaces").output())
                .contains("the API token is limited to the namespace \"team\"");
        ok(cluster.kubectlWithToken(token, "auth", "whoami"));
        ok(cluster.kubectlWith(alice, "delete", "--raw", TOKENS + "/reader"));
    }

    @Test
    void badRequestsGetUpstreamStyleStatuses() throws Exception {
        String token = create("ci", "{}").at("/status/token").asText();
        assertThat(createRaw(alice, "ci", "{}").output()).contains("apitokens.tokens.flotilla.dev \"ci\" already exists");
        assertThat(createRaw(alice, "forever", "{\"expirationSeconds\":63072000}").output())
                .contains("The ApiToken \"forever\" is invalid: spec.expirationSeconds: Invalid value: 63072000")
                .contains("must be between 60 and 31536000 seconds (one year)");
        assertThat(createRaw(alice, "Bad_Name", "{}").output()).contains("metadata.name: Invalid value: \"Bad_Name\"");

        assertThat(cluster.kubectlWithToken(token, "create", "--raw", TOKENS, "-f",
                body("child", "{}").toString()).output()).contains("an API token cannot create API tokens");

        String forged = token.substring(0, token.length() - 4) + "AAAA";
        assertThat(configMapsAs(cluster.anonymous(), forged)).isEqualTo(401);
        assertThat(configMapsAs(cluster.anonymous(), "flt_nonsense")).isEqualTo(401);
        ok(cluster.kubectlWith(alice, "delete", "--raw", TOKENS + "/ci"));
    }

    @Test
    void whilePostgresIsDownApiTokensFailClosedAndOtherAuthenticationWorks() throws Exception {
        String token = create("outage", "{}").at("/status/token").asText();
        assertThat(configMapsAs(cluster.anonymous(), token)).isEqualTo(200);
        cluster.postgresServer().stop();
        try {
            Await.until(Duration.ofSeconds(10), "API tokens refused",
                    () -> configMapsAs(cluster.anonymous(), token) == 401);
            ok(cluster.kubectlWith(alice, "get", "configmaps", "-n", "team"));
            ok(cluster.kubectl("get", "namespaces"));
            Command.Result list = cluster.kubectlWith(alice, "get", "--raw", TOKENS);
            assertThat(list.output()).contains("API tokens are unavailable: the platform database is unreachable");
        } finally {
            cluster.postgresServer().startAgain();
        }
        Await.until(Duration.ofSeconds(20), "API tokens accepted again",
                () -> configMapsAs(cluster.anonymous(), token) == 200);
        ok(cluster.kubectlWith(alice, "delete", "--raw", TOKENS + "/outage"));
    }

    @Test
    void theLauncherManagesTheTokensOfTheCurrentKubeconfigsUser() {
        Command.Result created = flotilla("token", "create", "--name", "script", "--expires", "1h", "--namespace", "team");
        String token = created.output().lines().filter(line -> line.startsWith("flt_")).findFirst().orElseThrow();
        assertThat(created.output()).contains("shown only this once");
        ok(cluster.kubectlWithToken(token, "get", "configmaps", "-n", "team"));

        assertThat(ok(flotilla("token", "list")).output()).containsPattern("NAME\\s+PREFIX")
                .containsPattern("script\\s+" + token.substring(0, 16) + "\\s+team\\s+false");
        assertThat(flotilla("token", "create", "--name", "script", "--expires", "2y").output()).contains("bad duration '2y'");
        assertThat(ok(flotilla("token", "revoke", "script")).output()).contains("token script revoked");
        assertThat(configMapsAs(cluster.anonymous(), token)).isEqualTo(401);
        assertThat(flotilla("token", "revoke", "script").exitCode()).isNotZero();
    }

    private static Command.Result flotilla(String... args) {
        Path home = Path.of(System.getProperty("flotilla.home", "..")).toAbsolutePath().normalize();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(home.resolve("flotilla").toString()));
        command.addAll(java.util.List.of(args));
        return Command.run(Duration.ofSeconds(60), cluster.workDir(), java.util.Map.of("KUBECONFIG", alice.toString(),
                "FLOTILLA_STATE_DIR", cluster.workDir().toString(), "FLOTILLA_SKIP_INSTALL", "1"), command);
    }

    private static JsonNode create(String name, String spec) throws Exception {
        return json(ok(createRaw(alice, name, spec)).output());
    }

    private static Command.Result createRaw(Path kubeconfig, String name, String spec) {
        return cluster.kubectlWith(kubeconfig, "create", "--raw", TOKENS, "-f", body(name, spec).toString());
    }

    private static Path body(String name, String spec) {
        return cluster.file("token-" + name + ".json", "{\"apiVersion\":\"tokens.flotilla.dev/v1\",\"kind\":\"ApiToken\","
                + "\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}");
    }

    private static int configMapsAs(HttpsClient client, String token) {
        return client.send(HttpRequest.newBuilder(URI.create(client.baseUrl() + "/api/v1/namespaces/team/configmaps"))
                .header("Authorization", "Bearer " + token).GET().build()).statusCode();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(text, e);
        }
    }

    private static Command.Result ok(Command.Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }
}
