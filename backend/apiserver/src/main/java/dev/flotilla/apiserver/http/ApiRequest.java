package dev.flotilla.apiserver.http;

import dev.flotilla.api.auth.UserInfo;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/** One decoded HTTP request with the identity that made it. */
public record ApiRequest(
        HttpMethod method,
        String path,
        Map<String, List<String>> query,
        HttpHeaders headers,
        byte[] body,
        UserInfo user) {

    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean hasQueryParam(String name) {
        return query.containsKey(name);
    }

    public List<String> queryParams(String name) {
        return query.getOrDefault(name, List.of());
    }

    public ApiRequest withUser(UserInfo authenticated) {
        return new ApiRequest(method, path, query, headers, body, authenticated);
    }

    /** The Kubernetes verb of a non-resource request: the lower-case HTTP method. */
    public String nonResourceVerb() {
        return method.name().toLowerCase(java.util.Locale.ROOT);
    }
}
