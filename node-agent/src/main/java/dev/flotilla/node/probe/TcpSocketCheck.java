package dev.flotilla.node.probe;

import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;

/** A tcpSocket handler: success when a connection opens within the timeout, as upstream. */
final class TcpSocketCheck {

    Outcome check(TCPSocketAction action, ActionTarget target, Duration timeout) {
        Optional<Integer> port = target.port(action.getPort());
        if (port.isEmpty()) {
            return Outcome.failure("unable to resolve port " + action.getPort());
        }
        String address = target.host(action.getHost()) + ":" + port.get();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.host(action.getHost()), port.get()), (int) timeout.toMillis());
            return Outcome.SUCCESS;
        } catch (IOException e) {
            return Outcome.failure("dial tcp " + address + ": " + e.getMessage());
        }
    }
}
