package dev.flotilla.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.auth.ApiTokenScope;
import dev.flotilla.apiserver.http.RequestInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiTokenScopeCheckTest {

    private static final ApiTokenScope READ_ONLY = new ApiTokenScope(null, true);
    private static final ApiTokenScope TEAM = new ApiTokenScope("team", false);

    @Test
    void readOnlyAllowsGetListWatchAndDiscoveryOnly() {
        assertThat(ApiTokenScopeCheck.violation(READ_ONLY, info("GET", "/api/v1/namespaces/x/pods/web"))).isEmpty();
        assertThat(ApiTokenScopeCheck.violation(READ_ONLY, info("GET", "/api/v1/pods"))).isEmpty();
        assertThat(ApiTokenScopeCheck.violation(READ_ONLY, watch("/api/v1/namespaces/x/pods"))).isEmpty();
        assertThat(ApiTokenScopeCheck.violation(READ_ONLY, info("GET", "/apis"))).isEmpty();
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            assertThat(ApiTokenScopeCheck.violation(READ_ONLY, info(method, "/api/v1/namespaces/x/pods/web")))
                    .contains("the API token is read-only");
        }
    }

    @Test
    void aNamespaceTokenReachesOnlyThatNamespaceAndItsNamespaceObject() {
        assertThat(ApiTokenScopeCheck.violation(TEAM, info("POST", "/api/v1/namespaces/team/configmaps"))).isEmpty();
        assertThat(ApiTokenScopeCheck.violation(TEAM, info("GET", "/api/v1/namespaces/team"))).isEmpty();
        assertThat(ApiTokenScopeCheck.violation(TEAM, info("GET", "/api/v1/namespaces/other/configmaps")))
                .contains("the API token is limited to the namespace \"team\"");
        assertThat(ApiTokenScopeCheck.violation(TEAM, info("GET", "/api/v1/configmaps"))).isPresent();
        assertThat(ApiTokenScopeCheck.violation(TEAM, info("GET", "/api/v1/namespaces"))).isPresent();
        assertThat(ApiTokenScopeCheck.violation(TEAM, info("GET", "/api/v1/nodes"))).isPresent();
    }

    @Test
    void selfReviewsAreAlwaysAllowed() {
        ApiTokenScope both = new ApiTokenScope("team", true);
        assertThat(ApiTokenScopeCheck.violation(both,
                info("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews"))).isEmpty();
        assertThat(ApiTokenScopeCheck.violation(both,
                info("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"))).isEmpty();
        assertThat(ApiTokenScopeCheck.violation(both,
                info("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews"))).isPresent();
    }

    private static RequestInfo info(String method, String path) {
        return RequestInfo.of(method, path, Map.of());
    }

    private static RequestInfo watch(String path) {
        return RequestInfo.of("GET", path, Map.of("watch", List.of("true")));
    }
}
