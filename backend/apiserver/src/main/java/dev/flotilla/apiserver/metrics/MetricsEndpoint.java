package dev.flotilla.apiserver.metrics;

import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.Route;
import dev.flotilla.apiserver.http.RouteProvider;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** {@code GET /metrics}: Prometheus text exposition; needs an authenticated caller, as upstream. */
@Singleton
public class MetricsEndpoint implements RouteProvider {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.exact("/metrics", false, request -> new ApiResponse(200, PROMETHEUS_TEXT,
                registry.scrape().getBytes(StandardCharsets.UTF_8), Map.of())));
    }
}
