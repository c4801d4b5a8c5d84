package dev.flotilla.e2e;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The create benchmark driven from outside the JVM: wrk (C, one epoll loop per thread) posts small
 * ConfigMaps with a ServiceAccount bearer token, so the API server's figure is not bounded by the
 * JDK HttpClient sharing the test JVM with the server. wrk is a closed loop (no fixed rate), so this
 * gives throughput and its latency distribution only. Skipped, saying so, where wrk is not installed.
 */
final class WrkLoad {

    private static final int THREADS = 2;
    private static final int CONNECTIONS = 64;
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(s|m)");

    private WrkLoad() {
    }

    /**
     * What the load creates: small ConfigMaps, or Pods (one container, for a scheduler no one runs,
     * so they stay Pending and only the create path is measured).
     */
    enum Kind {
        CONFIGMAP("configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"",
                "\",\"labels\":{\"app\":\"bench\"}},\"data\":{\"key\":\"value\"}}"),
        POD("pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"",
                "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"schedulerName\":\"bench-nobody\","
                        + "\"containers\":[{\"name\":\"app\",\"image\":\"busybox\",\"resources\":{\"requests\":"
                        + "{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}");

        final String resource;
        final String beforeName;
        final String afterName;

        Kind(String resource, String beforeName, String afterName) {
            this.resource = resource;
            this.beforeName = beforeName;
            this.afterName = afterName;
        }
    }

    static Optional<LoadLoops.Result> measure(ControlPlane cluster, long seconds) throws IOException {
        return measure(cluster, seconds, Kind.CONFIGMAP);
    }

    static Optional<LoadLoops.Result> measure(ControlPlane cluster, long seconds, Kind kind) throws IOException {
        if (Command.run(Duration.ofSeconds(10), List.of("sh", "-c", "command -v wrk")).exitCode() != 0) {
            System.out.println("wrk is not installed (apt-get install wrk): the external-load figure is skipped");
            return Optional.empty();
        }
        cluster.kubectl("create", "rolebinding", "bench-edit", "--clusterrole=edit", "--serviceaccount=bench:default",
                "-n", "bench").assertSuccess();
        // The service account controller creates "default" shortly after the namespace.
        Await.until(Duration.ofSeconds(60), "serviceaccount bench/default exists",
                () -> cluster.kubectl("get", "serviceaccount", "default", "-n", "bench").exitCode() == 0);
        String token = cluster.kubectl("create", "token", "default", "-n", "bench", "--duration=1h").assertSuccess()
                .output().strip();
        Path script = Files.createTempFile("wrk-create", ".lua");
        try {
            Files.writeString(script, luaScript(token, kind));
            String url = cluster.url();
            run(url, script, Duration.ofSeconds(5)); // warm-up
            Command.Result result = run(url, script, Duration.ofSeconds(seconds));
            return Optional.of(parse(result.output(), kind));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static Command.Result run(String url, Path script, Duration duration) {
        return Command.run(Duration.ofMinutes(2).plus(duration), List.of("wrk", "-t" + THREADS, "-c" + CONNECTIONS, "-d" + duration.toSeconds() + "s",
                "--latency", "-s", script.toString(), url)).assertSuccess();
    }

    static LoadLoops.Result parse(String output, Kind kind) {
        Matcher total = TOTAL.matcher(output);
        if (!total.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + output);
        }
        long requests = Long.parseLong(total.group(1));
        double seconds = Double.parseDouble(total.group(2)) * ("m".equals(total.group(3)) ? 60 : 1);
        Matcher failed = NON_2XX.matcher(output);
        long errors = failed.find() ? Long.parseLong(failed.group(1)) : 0;
        if (errors > 0) {
            System.out.println("wrk: " + errors + " of " + requests + " creates were not 201");
        }
        return new LoadLoops.Result("API server create of " + kind.resource + ", wrk (bearer token)", CONNECTIONS,
                (requests - errors) / seconds, percentile(output, "50%"), percentile(output, "99%"));
    }

    /** A line of wrk's latency distribution, e.g. {@code 99%   12.34ms}, in milliseconds. */
    private static double percentile(String output, String label) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)").matcher(output);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    /** Each request creates an object of {@code kind} with a name unique over threads and runs. */
    private static String luaScript(String token, Kind kind) {
        return """
                local run = os.time()
                local threads = 0
                function setup(thread)
                  threads = threads + 1
                  thread:set("id", threads)
                end
                local counter = 0
                function request()
                  counter = counter + 1
                  local name = "wrk-" .. run .. "-" .. id .. "-" .. counter
                  local body = 'BODY_BEFORE_NAME' .. name .. 'BODY_AFTER_NAME'
                  return wrk.format("POST", "/api/v1/namespaces/bench/RESOURCE",
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer TOKEN"}, body)
                end
                """.replace("TOKEN", token).replace("RESOURCE", kind.resource)
                .replace("BODY_BEFORE_NAME", kind.beforeName).replace("BODY_AFTER_NAME", kind.afterName);
    }
}
