package dev.flotilla.apiserver.health;

import dev.flotilla.api.health.HealthCheck;
import dev.flotilla.api.health.HealthResult;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.Route;
import dev.flotilla.apiserver.http.RouteProvider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /livez}, {@code /readyz} and {@code /healthz}, answered as kube-apiserver does: {@code ok}
 * when every check passes; otherwise HTTP 500 with one {@code [+]name ok} / {@code [-]name failed:
 * reason} line per check. {@code ?verbose} lists checks on success too, {@code ?exclude=name} skips a
 * check, and {@code /readyz/<name>} runs a single one.
 */
@Singleton
public class HealthEndpoints implements RouteProvider {

    private static final Logger LOG = LoggerFactory.getLogger(HealthEndpoints.class);
    private static final HealthCheck PING = new HealthCheck() {
        @Override
        public String name() {
            return "ping";
        }

        @Override
        public boolean liveness() {
            return true;
        }

        @Override
        public HealthResult check() {
            return HealthResult.ok();
        }
    };

    private final List<HealthCheck> readiness;
    private final List<HealthCheck> liveness;

    public HealthEndpoints(List<HealthCheck> checks) {
        List<HealthCheck> all = new ArrayList<>();
        all.add(PING);
        all.addAll(checks.stream().sorted(java.util.Comparator.comparing(HealthCheck::name)).toList());
        this.readiness = List.copyOf(all);
        this.liveness = all.stream().filter(HealthCheck::liveness).toList();
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.tree("/livez", true, request -> serve("livez", liveness, request)),
                Route.tree("/readyz", true, request -> serve("readyz", readiness, request)),
                Route.tree("/healthz", true, request -> serve("healthz", readiness, request)));
    }

    private ApiResponse serve(String endpoint, List<HealthCheck> checks, ApiRequest request) {
        String base = "/" + endpoint;
        String path = request.path().endsWith("/") ? request.path().substring(0, request.path().length() - 1)
                : request.path();
        if (!path.equals(base)) {
            String name = path.substring(base.length() + 1);
            return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                    .map(check -> single(endpoint, check))
                    .orElseGet(() -> ApiResponse.text(404, "404 page not found\n"));
        }
        Set<String> excluded = new HashSet<>(request.queryParams("exclude"));
        boolean verbose = request.hasQueryParam("verbose");
        StringBuilder listing = new StringBuilder();
        boolean healthy = true;
        for (HealthCheck check : checks) {
            if (excluded.remove(check.name())) {
                listing.append("[+]").append(check.name()).append(" excluded: ok\n");
                continue;
            }
            HealthResult result = run(check);
            if (result.healthy()) {
                listing.append("[+]").append(check.name()).append(" ok\n");
            } else {
                healthy = false;
                listing.append("[-]").append(check.name()).append(" failed: ").append(result.reason()).append('\n');
                LOG.warn("{} check {} failed: {}", endpoint, check.name(), result.reason());
            }
        }
        for (String unknown : excluded) {
            listing.append("warn: some health checks cannot be excluded: no matches for \"").append(unknown)
                    .append("\"\n");
        }
        if (healthy) {
            return ApiResponse.text(200, verbose ? listing + endpoint + " check passed\n" : "ok");
        }
        return ApiResponse.text(500, listing + endpoint + " check failed\n");
    }

    private static ApiResponse single(String endpoint, HealthCheck check) {
        HealthResult result = run(check);
        if (result.healthy()) {
            return ApiResponse.text(200, "ok");
        }
        return ApiResponse.text(500, "internal server error: " + check.name() + " failed: " + result.reason() + "\n");
    }

    private static HealthResult run(HealthCheck check) {
        try {
            return check.check();
        } catch (RuntimeException e) {
            return HealthResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
