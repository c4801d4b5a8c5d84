package dev.flotilla.apiserver.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.status.ApiError;
import org.junit.jupiter.api.Test;

class ApiPathTest {

    private final ResourceRegistry registry = new ResourceRegistry();

    @Test
    void discoveryPaths() {
        assertThat(ApiPath.parse("/api", registry)).isEqualTo(new ApiPath.Root(true));
        assertThat(ApiPath.parse("/apis", registry)).isEqualTo(new ApiPath.Root(false));
        assertThat(ApiPath.parse("/apis/apps", registry)).isEqualTo(new ApiPath.Group("apps"));
        assertThat(ApiPath.parse("/api/v1", registry)).isEqualTo(new ApiPath.GroupVersion("", "v1"));
        assertThat(ApiPath.parse("/apis/apps/v1/", registry)).isEqualTo(new ApiPath.GroupVersion("apps", "v1"));
    }

    @Test
    void namespacedObjectWithSubresource() {
        ResourceRequest request = resource("/api/v1/namespaces/default/pods/web/status");
        assertThat(request.type().kind()).isEqualTo("Pod");
        assertThat(request.namespace()).isEqualTo("default");
        assertThat(request.name()).isEqualTo("web");
        assertThat(request.subresource()).isEqualTo("status");
    }

    @Test
    void proxyPathsCarryTheirOwnSubPath() {
        ResourceRequest pod = resource("/api/v1/namespaces/default/pods/https:web:8443/proxy/a/b");
        assertThat(pod.name()).isEqualTo("https:web:8443");
        assertThat(pod.subresource()).isEqualTo("proxy");
        assertThat(resource("/api/v1/nodes/worker/proxy/metrics/cadvisor").subresource()).isEqualTo("proxy");
        assertThatThrownBy(() -> ApiPath.parse("/api/v1/namespaces/default/pods/web/log/extra", registry))
                .isInstanceOf(ApiError.class);
    }

    @Test
    void collectionsAcrossNamespacesAndClusterScopedObjects() {
        ResourceRequest all = resource("/apis/apps/v1/deployments");
        assertThat(all.namespace()).isNull();
        assertThat(all.isCollection()).isTrue();

        ResourceRequest namespace = resource("/api/v1/namespaces/kube-system");
        assertThat(namespace.type().kind()).isEqualTo("Namespace");
        assertThat(namespace.name()).isEqualTo("kube-system");

        ResourceRequest finalize = resource("/api/v1/namespaces/kube-system/finalize");
        assertThat(finalize.subresource()).isEqualTo("finalize");

        assertThat(resource("/apis/rbac.authorization.k8s.io/v1/clusterroles/admin").name()).isEqualTo("admin");
    }

    @Test
    void unknownThingsAreNotFound() {
        for (String path : new String[] {"/apis/nothing.example.com/v1", "/apis/apps/v9", "/api/v1/frobs",
                "/api/v1/namespaces/default/pods/web/nonsense", "/api/v1/pods/web", "/other",
                "/api/v1/namespaces/default/nodes/n1", "/api/v1/namespaces/a/pods/b/status/extra"}) {
            assertThatThrownBy(() -> ApiPath.parse(path, registry)).as(path)
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(404));
        }
    }

    private ResourceRequest resource(String path) {
        return ((ApiPath.Resource) ApiPath.parse(path, registry)).request();
    }
}
