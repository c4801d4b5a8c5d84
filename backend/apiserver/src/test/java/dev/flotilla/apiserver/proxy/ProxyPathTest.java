package dev.flotilla.apiserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.apiserver.http.ApiRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyPathTest {

    @Test
    void nameSegmentSplitsIntoSchemeNameAndPort() {
        assertThat(ProxyPath.of(request("/api/v1/namespaces/d/pods/web/proxy/x", Map.of()), "web"))
                .isEqualTo(new ProxyPath("", "web", "", "/x"));
        assertThat(ProxyPath.of(request("/api/v1/namespaces/d/services/web:http/proxy/", Map.of()), "web:http"))
                .isEqualTo(new ProxyPath("", "web", "http", "/"));
        assertThat(ProxyPath.of(request("/api/v1/namespaces/d/pods/https:web:8443/proxy", Map.of()),
                "https:web:8443")).isEqualTo(new ProxyPath("https", "web", "8443", "/"));
        assertThatThrownBy(() -> ProxyPath.of(request("/api/v1/nodes/ftp:n:1/proxy", Map.of()), "ftp:n:1"))
                .hasMessage("invalid scheme \"ftp\"");
    }

    @Test
    void theQueryIsPassedOnInItsOrder() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("b", List.of("2", "3"));
        query.put("a", List.of("x y"));
        ApiRequest request = request("/api/v1/nodes/n/proxy/stats/summary", query);
        assertThat(ProxyPath.of(request, "n").uri(request)).isEqualTo("/stats/summary?b=2&b=3&a=x%20y");
    }

    private static ApiRequest request(String path, Map<String, List<String>> query) {
        return new ApiRequest(HttpMethod.GET, path, query, new DefaultHttpHeaders(), new byte[0], UserInfo.ANONYMOUS);
    }
}
