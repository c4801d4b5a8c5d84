package dev.flotilla.apiserver.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The client's headers as a backend should see them: without the client's credentials and without
 * hop-by-hop headers, except that an upgrade request keeps {@code Connection} and {@code Upgrade} so
 * the backend can switch protocols.
 */
final class ForwardedHeaders {

    private static final Set<String> DROPPED = Set.of("authorization", "proxy-authorization", "host",
            "content-length", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    private static final Set<String> HOP_BY_HOP_UNLESS_UPGRADE = Set.of("connection", "upgrade");

    private ForwardedHeaders() {
    }

    static HttpHeaders of(HttpHeaders client) {
        boolean upgrade = client.contains("Upgrade");
        HttpHeaders out = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : client) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (DROPPED.contains(name) || (!upgrade && HOP_BY_HOP_UNLESS_UPGRADE.contains(name))) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
        return out;
    }
}
