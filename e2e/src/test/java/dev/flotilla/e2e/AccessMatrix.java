package dev.flotilla.e2e;

import dev.flotilla.testsupport.HttpsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;

/**
 * A table of raw API requests made as different users, each with the answer it must get, run in
 * parallel with the JDK HTTP client and written as a Markdown table (user, verb, resource,
 * namespace, request, expected, actual) for people to read.
 */
final class AccessMatrix {

    /** What a request must get: a description for the table and a test of the status code and body. */
    record Expectation(String description, BiPredicate<Integer, String> holds) {

        /** Upstream's denial: 403 with a {@code Forbidden} Status. */
        static final Expectation DENIED = new Expectation("403 Forbidden",
                (code, body) -> code == 403 && body.contains("\"reason\":\"Forbidden\""));

        static Expectation allowed(int code) {
            return new Expectation(code + "", (actual, body) -> actual == code);
        }

        /**
         * For reads every user may make but whose answer is scoped to the caller: denied, or hidden
         * (404), or a list without any object of {@code namespace}.
         */
        static Expectation hiddenFrom(String namespace) {
            return new Expectation("403, 404 or nothing of " + namespace, (code, body) -> code == 403 || code == 404
                    || code == 200 && !body.contains("\"namespace\":\"" + namespace + "\""));
        }

        /** Any answer, but no object of {@code namespace} in it (a 2xx list or watch must be filtered). */
        static Expectation nothingFrom(String namespace) {
            return new Expectation("no object of " + namespace,
                    (code, body) -> !body.contains("\"namespace\":\"" + namespace + "\""));
        }
    }

    /** One request: who sends it, how it reads in RBAC terms, and the HTTP request itself. */
    record Probe(String user, String verb, String resource, String namespace, String method, String path,
            String body, Expectation expected) {

        static Probe of(String user, String verb, String resource, String namespace, String method, String path,
                Expectation expected) {
            return new Probe(user, verb, resource, namespace, method, path, null, expected);
        }

        Probe withBody(String json) {
            return new Probe(user, verb, resource, namespace, method, path, json, expected);
        }
    }

    record Outcome(Probe probe, int code, String body) {

        boolean passed() {
            return probe.expected().holds().test(code, body);
        }

        /** An answer in the 2xx range: the server did what was asked. */
        boolean allowed() {
            return code >= 200 && code < 300;
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private AccessMatrix() {
    }

    /** Sends every probe with the client of its user, {@code parallelism} at a time. */
    static List<Outcome> run(Map<String, HttpsClient> clients, List<Probe> probes, int parallelism) {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Probe probe : probes) {
                futures.add(pool.submit(() -> send(clients.get(probe.user()), probe)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } catch (Exception e) {
            throw new IllegalStateException("the access matrix did not complete: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome send(HttpsClient client, Probe probe) {
        HttpRequest.BodyPublisher body = probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(probe.body());
        String contentType = "PATCH".equals(probe.method()) ? "application/merge-patch+json" : "application/json";
        HttpRequest request = HttpRequest.newBuilder(URI.create(client.baseUrl() + probe.path()))
                .timeout(REQUEST_TIMEOUT).header("Accept", "application/json").header("Content-Type", contentType)
                .method(probe.method(), body).build();
        HttpResponse<String> response = client.send(request);
        return new Outcome(probe, response.statusCode(), response.body());
    }

    /** Writes the outcomes as a Markdown table under {@code title}, sorted by user, resource and verb. */
    static void write(Path file, String title, List<Outcome> outcomes) {
        StringBuilder table = new StringBuilder("# ").append(title).append("\n\n")
                .append(outcomes.size()).append(" requests, ")
                .append(outcomes.stream().filter(o -> !o.passed()).count()).append(" not as expected.\n\n")
                .append("| user | verb | resource | namespace | request | expected | actual | ok |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        outcomes.stream().sorted(Comparator.comparing((Outcome o) -> o.probe().user())
                .thenComparing(o -> o.probe().resource()).thenComparing(o -> o.probe().verb())
                .thenComparing(o -> o.probe().path())).forEach(o -> table.append("| ").append(o.probe().user())
                .append(" | ").append(o.probe().verb()).append(" | ").append(o.probe().resource()).append(" | ")
                .append(o.probe().namespace()).append(" | `").append(o.probe().method()).append(' ')
                .append(o.probe().path().replace("|", "%7C")).append("` | ")
                .append(o.probe().expected().description()).append(" | ").append(o.code()).append(" | ")
                .append(o.passed() ? "yes" : "**NO**").append(" |\n"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The failed outcomes, one line each, for an assertion message. */
    static String describe(List<Outcome> outcomes) {
        StringBuilder lines = new StringBuilder();
        outcomes.forEach(o -> lines.append(o.probe().user()).append(' ').append(o.probe().method()).append(' ')
                .append(o.probe().path()).append(" → ").append(o.code()).append(" (expected ")
                .append(o.probe().expected().description()).append("): ")
                .append(o.body().length() > 300 ? o.body().substring(0, 300) : o.body()).append('\n'));
        return lines.toString();
    }
}
