package dev.flotilla.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.nodeauth.NodeAuthorizer;
import dev.flotilla.api.nodeauth.NodeGraph;
import dev.flotilla.api.rbac.PolicyIndex;
import dev.flotilla.api.rbac.RbacAuthorizer;
import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.authn.BearerTokenAuthentication;
import dev.flotilla.apiserver.authz.Impersonation;
import dev.flotilla.apiserver.authz.RequestAuthorizer;
import dev.flotilla.apiserver.authn.X509Authenticator;
import dev.flotilla.apiserver.metrics.RequestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import dev.flotilla.apiserver.audit.AuditLog;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

    private static ApiRequestHandler handlerWithLimit(int limit) {
        ApiServerProperties properties = new ApiServerProperties();
        properties.setMaxRequestsInFlight(limit);
        return new ApiRequestHandler(new X509Authenticator(),
                new BearerTokenAuthentication(List.of(), properties), new Router(List.of()),
                new RequestMetrics(new SimpleMeterRegistry()), properties,
                new RequestAuthorizer(new NodeAuthorizer(new NodeGraph()), new RbacAuthorizer(new PolicyIndex())),
                new Impersonation(new RequestAuthorizer(new NodeAuthorizer(new NodeGraph()),
                        new RbacAuthorizer(new PolicyIndex()))), AuditLog.disabled());
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
        assertThat(describe("GET", "/api/v1/pods", Map.of())).isEqualTo("list  pods   ");
        assertThat(RequestInfo.of("GET", "/api/v1/namespaces/a/pods", Map.of("watch", List.of("1"))).verb())
                .isEqualTo("watch");
        assertThat(RequestInfo.of("DELETE", "/apis/apps/v1/namespaces/a/deployments", Map.of()).verb())
                .isEqualTo("deletecollection");
        assertThat(describe("PATCH", "/apis/apps/v1/namespaces/a/deployments/web/scale", Map.of()))
                .isEqualTo("patch apps deployments scale a web");
        assertThat(RequestInfo.of("POST", "/api/v1/namespaces/a/pods/p/exec", Map.of()).longRunning()).isTrue();
        assertThat(describe("GET", "/api/v1/namespaces/a", Map.of())).isEqualTo("get  namespaces  a a");
        assertThat(describe("PUT", "/api/v1/namespaces/a/finalize", Map.of())).isEqualTo("update  namespaces finalize a a");
        assertThat(describe("GET", "/api/v1/namespaces/a/pods",
                Map.of("fieldSelector", List.of("metadata.name=web")))).isEqualTo("list  pods  a web");
        assertThat(describe("POST", "/api/v1/namespaces/a/pods/web/binding", Map.of()))
                .isEqualTo("create  pods binding a web");
        RequestInfo health = RequestInfo.of("GET", "/readyz", Map.of());
        assertThat(health.resourceRequest()).isFalse();
        assertThat(health.verb()).isEqualTo("get");
        assertThat(health.path()).isEqualTo("/readyz");
        assertThat(RequestInfo.of("GET", "/apis/apps/v1", Map.of()).resourceRequest()).isFalse();
    }

    private static String describe(String method, String path, Map<String, List<String>> query) {
        RequestInfo info = RequestInfo.of(method, path, query);
        assertThat(info.resourceRequest()).isTrue();
        return String.join(" ", info.verb(), info.apiGroup(), info.resource(), info.subresource(), info.namespace(),
                info.name());
    }
}
