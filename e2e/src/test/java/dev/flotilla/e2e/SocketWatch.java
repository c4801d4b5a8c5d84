package dev.flotilla.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One watch on its own TLS connection, read line by line by its own thread: the way to hold a
 * thousand watches open from one JVM (the JDK HTTP client multiplexes them over few connections).
 * Records when each object name it is told about first shows up in the stream.
 */
final class SocketWatch implements AutoCloseable {

    private final SSLSocket socket;
    private final Thread reader;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private volatile boolean open;

    /** Connects, completes the TLS handshake and sends the request; does not wait for the response. */
    SocketWatch(SSLContext tls, URI server, String path, String marker) throws IOException {
        socket = (SSLSocket) tls.getSocketFactory().createSocket(server.getHost(), server.getPort());
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + server.getHost() + "\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        reader = new Thread(() -> read(marker), "socket-watch");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(String marker) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                long now = System.nanoTime();
                if (line.startsWith("HTTP/1.1 200")) {
                    open = true;
                }
                int at = line.indexOf(marker);
                if (at >= 0) {
                    int start = at + marker.length();
                    seen.putIfAbsent(line.substring(start, line.indexOf('"', start)), now);
                }
            }
        } catch (IOException e) {
            // Closed by close() or by the server: the benchmark notices missing receipts.
        }
    }

    /** Whether the server has answered 200 (the watch is registered). */
    boolean isOpen() {
        return open;
    }

    /** When (System.nanoTime) a line naming {@code name} arrived, or null. */
    Long receivedAt(String name) {
        return seen.get(name);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
