package dev.flotilla.apiserver.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.health.HealthCheck;
import dev.flotilla.api.health.HealthResult;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.Route;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthEndpointsTest {

    private final AtomicReference<HealthResult> etcd = new AtomicReference<>(HealthResult.ok());
    private final HealthEndpoints endpoints = new HealthEndpoints(List.of(check("postgresql", HealthResult.ok()),
            new HealthCheck() {
                @Override
                public String name() {
                    return "etcd";
                }

                @Override
                public HealthResult check() {
                    return etcd.get();
                }
            }));

    @Test
    void healthyServerAnswersOk() {
        ApiResponse response = get("/readyz");

        assertThat(response.code()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("ok");
    }

    @Test
    void verboseListsEveryCheckInOrder() {
        assertThat(body(get("/readyz?verbose"))).isEqualTo(
                "[+]ping ok\n[+]etcd ok\n[+]postgresql ok\nreadyz check passed\n");
    }

    @Test
    void failingDependencyIsNamedWithItsReason() {
        etcd.set(HealthResult.failed("etcd at http://127.0.0.1:2379 is unreachable: Connection refused"));

        ApiResponse response = get("/readyz");

        assertThat(response.code()).isEqualTo(500);
        assertThat(body(response)).contains(
                "[-]etcd failed: etcd at http://127.0.0.1:2379 is unreachable: Connection refused\n",
                "[+]postgresql ok\n", "readyz check failed\n");
    }

    @Test
    void excludedCheckDoesNotFailReadiness() {
        etcd.set(HealthResult.failed("down"));

        ApiResponse response = get("/readyz?exclude=etcd&verbose");

        assertThat(response.code()).isEqualTo(200);
        assertThat(body(response)).contains("[+]etcd excluded: ok");
    }

    @Test
    void singleCheckCanBeAskedByName() {
        etcd.set(HealthResult.failed("down"));

        assertThat(get("/readyz/postgresql").code()).isEqualTo(200);
        assertThat(get("/readyz/etcd").code()).isEqualTo(500);
        assertThat(body(get("/readyz/etcd"))).contains("etcd failed: down");
        assertThat(get("/readyz/nothing").code()).isEqualTo(404);
    }

    @Test
    void livenessDoesNotDependOnEtcdOrPostgres() {
        etcd.set(HealthResult.failed("down"));

        assertThat(get("/livez").code()).isEqualTo(200);
        assertThat(body(get("/livez?verbose"))).isEqualTo("[+]ping ok\nlivez check passed\n");
    }

    @Test
    void checkThatThrowsCountsAsFailedInsteadOfBreakingTheEndpoint() {
        HealthEndpoints broken = new HealthEndpoints(List.of(new HealthCheck() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public HealthResult check() {
                throw new IllegalStateException("boom");
            }
        }));

        ApiResponse response = serve(broken, "/readyz");
        assertThat(response.code()).isEqualTo(500);
        assertThat(body(response)).contains("[-]broken failed: IllegalStateException: boom");
    }

    private ApiResponse get(String uri) {
        return serve(endpoints, uri);
    }

    private static ApiResponse serve(HealthEndpoints endpoints, String uri) {
        QueryStringDecoder decoded = new QueryStringDecoder(uri);
        ApiRequest request = new ApiRequest(HttpMethod.GET, decoded.path(), decoded.parameters(),
                new DefaultHttpHeaders(), new byte[0], UserInfo.ANONYMOUS);
        Route route = endpoints.routes().stream()
                .filter(r -> decoded.path().equals(r.path()) || decoded.path().startsWith(r.path() + "/"))
                .findFirst().orElseThrow();
        return route.endpoint().handle(request);
    }

    private static String body(ApiResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static HealthCheck check(String name, HealthResult result) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthResult check() {
                return result;
            }
        };
    }
}
