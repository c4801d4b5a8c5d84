package dev.flotilla.apiserver.proxy;

import io.netty.handler.ssl.SslContext;

/**
 * Where a proxied request goes: host and port, the request URI there (path and query), and the TLS
 * context when the backend speaks HTTPS (null for plain HTTP).
 */
public record Backend(String host, int port, String uri, SslContext tls) {

    /** {@code host:port} as Go prints a dial target, brackets around IPv6 addresses. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public String url() {
        return (tls == null ? "http" : "https") + "://" + address() + uri;
    }
}
