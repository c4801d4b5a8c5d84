package dev.flotilla.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A plain HTTP server that answers every request with its method, URI and body: a pod or endpoint behind a proxy. */
final class EchoServer implements AutoCloseable {

    private final HttpServer server;

    private EchoServer(HttpServer server) {
        this.server = server;
    }

    static EchoServer start(String address) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 16);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                byte[] answer = ("echo " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                        + new String(body, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            });
            server.start();
            return new EchoServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return server.getAddress().getAddress().getHostAddress();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
