package dev.flotilla.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.nodeauth.NodeAuthorizer;
import dev.flotilla.api.nodeauth.NodeGraph;
import dev.flotilla.api.rbac.PolicyIndex;
import dev.flotilla.api.rbac.RbacAuthorizer;
import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.authn.BearerTokenAuthentication;
import dev.flotilla.apiserver.authn.X509Authenticator;
import dev.flotilla.apiserver.authz.Impersonation;
import dev.flotilla.apiserver.authz.RequestAuthorizer;
import dev.flotilla.apiserver.metrics.RequestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import dev.flotilla.apiserver.audit.AuditLog;
import org.junit.jupiter.api.Test;

/** Requests without credentials, with anonymous-auth on (the default) and off. */
class AnonymousAuthTest {

    @Test
    void anonymousCallersReachOnlyPublicInfoPathsAndNothingWhenAnonymousAuthIsOff() {
        assertThat(anonymousGet(handler(true), "/version")).isEqualTo(200);
        assertThat(anonymousGet(handler(true), "/api/v1/pods")).isEqualTo(401);
        assertThat(anonymousGet(handler(false), "/version")).isEqualTo(401);
        assertThat(anonymousGet(handler(false), "/api/v1/pods")).isEqualTo(401);
    }

    private static int anonymousGet(ApiRequestHandler handler, String path) {
        return handler.handle(new ApiRequest(HttpMethod.GET, path, Map.of(), new DefaultHttpHeaders(), new byte[0],
                UserInfo.ANONYMOUS)).code();
    }

    private static ApiRequestHandler handler(boolean anonymousAuth) {
        ApiServerProperties properties = new ApiServerProperties();
        properties.setAnonymousAuth(anonymousAuth);
        RequestAuthorizer authorizer = new RequestAuthorizer(new NodeAuthorizer(new NodeGraph()),
                new RbacAuthorizer(new PolicyIndex()));
        Router router = new Router(List.of(() -> List.of(
                Route.exact("/version", true, request -> ApiResponse.text(200, "v")),
                Route.tree("/api", false, request -> ApiResponse.text(200, "api")))));
        return new ApiRequestHandler(new X509Authenticator(), new BearerTokenAuthentication(List.of(), properties),
                router, new RequestMetrics(new SimpleMeterRegistry()), properties, authorizer,
                new Impersonation(authorizer), AuditLog.disabled());
    }
}
