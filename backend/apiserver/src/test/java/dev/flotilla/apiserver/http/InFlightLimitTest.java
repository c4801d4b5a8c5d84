package dev.flotilla.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.authn.BearerTokenAuthentication;
import dev.flotilla.apiserver.authn.X509Authenticator;
import dev.flotilla.apiserver.metrics.RequestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

    private static ApiRequestHandler handlerWithLimit(int limit) {
        ApiServerProperties properties = new ApiServerProperties();
        properties.setMaxRequestsInFlight(limit);
        return new ApiRequestHandler(new X509Authenticator(),
                new BearerTokenAuthentication(List.of(), properties), new Router(List.of()),
                new RequestMetrics(new SimpleMeterRegistry()), properties);
    }

    @Test
    void requestsOverTheLimitGet429WithRetryAfterAndWatchesAreExempt() {
        ApiRequestHandler handler = handlerWithLimit(1);
        RequestInfo get = RequestInfo.of("GET", "/api/v1/namespaces/default/configmaps/a", Map.of());
        RequestInfo watch = RequestInfo.of("GET", "/api/v1/configmaps", Map.of("watch", List.of("true")));

        assertThat(handler.admit(get)).isNull();
        ApiResponse refused = handler.admit(get);
        assertThat(refused.code()).isEqualTo(429);
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
        assertThat(new String(refused.body())).contains("\"reason\":\"TooManyRequests\"");
        assertThat(handler.admit(watch)).as("long-running requests are not counted").isNull();

        handler.release(get);
        assertThat(handler.admit(get)).isNull();
    }

    @Test
    void requestInfoNamesVerbAndResourceAsUpstream() {
        assertThat(RequestInfo.of("GET", "/api/v1/pods", Map.of())).isEqualTo(new RequestInfo("list", "pods", "", false));
        assertThat(RequestInfo.of("GET", "/api/v1/namespaces/a/pods", Map.of("watch", List.of("1"))).verb())
                .isEqualTo("watch");
        assertThat(RequestInfo.of("DELETE", "/apis/apps/v1/namespaces/a/deployments", Map.of()).verb())
                .isEqualTo("deletecollection");
        assertThat(RequestInfo.of("PATCH", "/apis/apps/v1/namespaces/a/deployments/web/scale", Map.of()))
                .isEqualTo(new RequestInfo("patch", "deployments", "scale", false));
        assertThat(RequestInfo.of("POST", "/api/v1/namespaces/a/pods/p/exec", Map.of()).longRunning()).isTrue();
        assertThat(RequestInfo.of("GET", "/api/v1/namespaces/a", Map.of()))
                .isEqualTo(new RequestInfo("get", "namespaces", "", false));
        assertThat(RequestInfo.of("GET", "/readyz", Map.of())).isEqualTo(new RequestInfo("get", "", "", false));
    }
}
