package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log end to end: mutating and denied requests land in PostgreSQL with the Audit-Id the
 * client saw, kubectl reads them scoped to the caller, and a PostgreSQL outage (also across an API
 * server restart) loses and duplicates nothing.
 */
class AuditIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "/apis/audit.flotilla.dev/v1/auditevents";
    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        ok(cluster.kubectl("create", "namespace", "acme-dev"));
        ok(cluster.kubectl("label", "namespace", "acme-dev", "tenancy.flotilla.dev/tenant=acme"));
        ok(cluster.kubectl("create", "namespace", "globex-dev"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void writesAndDenialsAreRecordedWithTheirAuditIdAndEachCallerSeesOnlyTheirNamespaces() throws Exception {
        HttpResponse<String> created = cluster.admin().send(HttpRequest.newBuilder(
                URI.create(cluster.url() + "/api/v1/namespaces/acme-dev/configmaps"))
                .header("Content-Type", "application/json").header("User-Agent", "audit-it")
                .POST(HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"name\":\"settings\"}}")).build());
        assertThat(created.statusCode()).isEqualTo(201);
        String auditId = created.headers().firstValue("Audit-Id").orElseThrow();
        ok(cluster.kubectl("create", "configmap", "secret-plans", "-n", "globex-dev"));
        Path alice = cluster.kubeconfigFor("alice", "acme");
        Command.Result denied = cluster.kubectlWith(alice, "delete", "configmap", "settings", "-n", "acme-dev");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.output()).contains("forbidden");

        JsonNode event = eventually("the create's event", () -> events(cluster.kubeconfig(), "").stream()
                .filter(e -> e.path("auditID").asText().equals(auditId)).findFirst().orElse(null));
        assertThat(event.at("/verb").asText()).isEqualTo("create");
        assertThat(event.at("/user/username").asText()).isEqualTo("admin");
        assertThat(event.at("/objectRef/resource").asText()).isEqualTo("configmaps");
        assertThat(event.at("/objectRef/namespace").asText()).isEqualTo("acme-dev");
        assertThat(event.at("/objectRef/name").asText()).isEqualTo("settings");
        assertThat(event.at("/responseStatus/code").asInt()).isEqualTo(201);
        assertThat(event.at("/tenant").asText()).isEqualTo("acme");
        assertThat(event.at("/userAgent").asText()).isEqualTo("audit-it");
        assertThat(event.at("/sourceIPs/0").asText()).isEqualTo("127.0.0.1");

        JsonNode denial = eventually("alice's denied delete",
                () -> events(cluster.kubeconfig(), "?fieldSelector=user.username%3Dalice").stream()
                        .filter(e -> e.at("/verb").asText().equals("delete")).findFirst().orElse(null));
        assertThat(denial.at("/responseStatus/code").asInt()).isEqualTo(403);

        // alice is in group acme, the tenant label of acme-dev: she sees that namespace's events only.
        List<JsonNode> seenByAlice = events(alice, "");
        assertThat(seenByAlice).isNotEmpty().allSatisfy(e -> assertThat(e.at("/metadata/namespace").asText())
                .isEqualTo("acme-dev"));
        assertThat(events(cluster.kubeconfigFor("bob", "globex-contractors"), "")).as("no namespace of bob's").isEmpty();
        List<JsonNode> configMapEvents = events(cluster.kubeconfig(), "?fieldSelector=objectRef.resource%3Dconfigmaps");
        assertThat(configMapEvents).allSatisfy(e -> assertThat(e.at("/objectRef/resource").asText())
                .isEqualTo("configmaps"));
        assertThat(configMapEvents.stream().map(e -> e.at("/metadata/namespace").asText()))
                .contains("acme-dev", "globex-dev");
        JsonNode page = JSON.readTree(ok(cluster.kubectl("get", "--raw", EVENTS + "?limit=1")).output());
        assertThat(page.path("items")).hasSize(1);
        JsonNode next = JSON.readTree(ok(cluster.kubectl("get", "--raw", EVENTS + "?limit=1&continue="
                + page.at("/metadata/continue").asText())).output());
        assertThat(next.at("/items/0/metadata/name").asText()).isNotEqualTo(page.at("/items/0/metadata/name").asText());

        Command.Result table = ok(cluster.kubectl("get", "auditevents", "-n", "acme-dev"));
        assertThat(table.output()).contains("TIME", "USER", "VERB", "RESOURCE", "OBJECT", "CODE")
                .containsPattern("admin\\s+create\\s+configmaps\\s+settings\\s+201");
        Command.Result badSelector = cluster.kubectl("get", "auditevents", "-A", "--field-selector", "colour=red");
        assertThat(badSelector.exitCode()).isNotZero();
        assertThat(badSelector.output()).contains("field label not supported: colour");
        Command.Result badTime = cluster.kubectl("get", "auditevents", "-A", "--field-selector", "since=yesterday");
        assertThat(badTime.output()).contains("must be an RFC 3339 time");
    }

    @Test
    void eventsMadeWhilePostgresIsDownArriveExactlyOnceAlsoAcrossAnApiServerRestart() {
        cluster.postgresServer().stop();
        Command.Result unavailable = cluster.kubectl("get", "--raw", EVENTS + "?limit=1");
        assertThat(unavailable.exitCode()).isNotZero();
        assertThat(unavailable.output())
                .contains("audit events are unavailable: the platform database (PostgreSQL) cannot be reached");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            names.add("outage-" + i);
            ok(cluster.kubectl("create", "configmap", "outage-" + i, "-n", "globex-dev"));
        }
        cluster.restartServerLive();
        for (int i = 5; i < 8; i++) {
            names.add("outage-" + i);
            ok(cluster.kubectl("create", "configmap", "outage-" + i, "-n", "globex-dev"));
        }
        cluster.postgresServer().startAgain();

        java.util.concurrent.atomic.AtomicReference<Map<String, Long>> seen = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            Await.until(Duration.ofSeconds(60), "the spooled events of " + names, () -> {
                if (!postgresServesAuditEvents()) {
                    return false; // still starting: 503 ServiceUnavailable
                }
                seen.set(createCounts());
                return names.stream().allMatch(seen.get()::containsKey);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; events found: " + seen.get(), e);
        }
        assertThat(names).allSatisfy(name -> assertThat(seen.get().get(name)).as(name).isEqualTo(1L));
    }

    private static boolean postgresServesAuditEvents() {
        return cluster.kubectl("get", "--raw", EVENTS + "?limit=1").exitCode() == 0;
    }

    /** How many create events of each ConfigMap in globex-dev the admin reads through the API. */
    private static Map<String, Long> createCounts() {
        return events(cluster.kubeconfig(), "?limit=1000&fieldSelector=verb%3Dcreate,objectRef.resource%3Dconfigmaps,"
                + "metadata.namespace%3Dglobex-dev").stream()
                .collect(java.util.stream.Collectors.groupingBy(e -> e.at("/objectRef/name").asText(),
                        java.util.stream.Collectors.counting()));
    }

    private static JsonNode eventually(String what, java.util.function.Supplier<JsonNode> find) {
        java.util.concurrent.atomic.AtomicReference<JsonNode> found = new java.util.concurrent.atomic.AtomicReference<>();
        Await.until(Duration.ofSeconds(30), what, () -> {
            found.set(find.get());
            return found.get() != null;
        });
        return found.get();
    }

    /** The events the kubeconfig's user sees, through the API with the query given. */
    private static List<JsonNode> events(Path kubeconfig, String query) {
        Command.Result result = ok(cluster.kubectlWith(kubeconfig, "get", "--raw", EVENTS + query));
        List<JsonNode> events = new ArrayList<>();
        try {
            JSON.readTree(result.output()).path("items").forEach(events::add);
        } catch (java.io.IOException e) {
            throw new AssertionError(result.output(), e);
        }
        return events;
    }

    private static Command.Result ok(Command.Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }
}
