package dev.flotilla.apiserver.proxy;

import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.util.List;
import java.util.Map;

/**
 * The parts of a proxy URL: {@code .../<kind>/[<scheme>:]<name>[:<port>]/proxy/<path>?<query>}, as
 * upstream splits the name segment ({@code https:web:8443}, {@code web:http}).
 */
public record ProxyPath(String scheme, String name, String port, String path) {

    public static ProxyPath of(ApiRequest request, String nameSegment) {
        String scheme = "";
        String name = nameSegment;
        String port = "";
        String[] parts = nameSegment.split(":", -1);
        if (parts.length == 2) {
            name = parts[0];
            port = parts[1];
        } else if (parts.length == 3) {
            scheme = parts[0];
            name = parts[1];
            port = parts[2];
        } else if (parts.length > 3) {
            throw ApiError.badRequest("invalid request \"" + nameSegment + "\"");
        }
        if (!scheme.isEmpty() && !scheme.equals("http") && !scheme.equals("https")) {
            throw ApiError.badRequest("invalid scheme \"" + scheme + "\"");
        }
        String marker = "/" + nameSegment + "/proxy";
        int at = request.path().indexOf(marker);
        String rest = at < 0 ? "" : request.path().substring(at + marker.length());
        return new ProxyPath(scheme, name, port, rest.isEmpty() ? "/" : rest);
    }

    /** The backend request URI: this path and the client's query as it came. */
    public String uri(ApiRequest request) {
        return withQuery(path, request.query());
    }

    static String withQuery(String path, Map<String, List<String>> query) {
        QueryStringEncoder encoder = new QueryStringEncoder(path);
        query.forEach((key, values) -> values.forEach(value -> encoder.addParam(key, value)));
        return encoder.toString();
    }
}
