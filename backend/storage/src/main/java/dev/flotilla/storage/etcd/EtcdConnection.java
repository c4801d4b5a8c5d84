package dev.flotilla.storage.etcd;

import io.etcd.jetcd.Client;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's etcd client. Creating it does not contact etcd, so the server starts while
 * etcd is down and reports that through {@code /readyz} instead of failing.
 *
 * <p>gRPC backs off reconnecting to an unreachable server for up to two minutes, which would keep
 * the server unready long after etcd is back. Callers that see etcd fail call {@link #replace} and
 * the next operation uses a fresh client that connects at once; so callers take {@link #client()}
 * for each operation rather than keeping it.
 */
@Singleton
public class EtcdConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdConnection.class);

    private final EtcdProperties properties;
    private final AtomicReference<Client> current = new AtomicReference<>();

    public EtcdConnection(EtcdProperties properties) {
        this.properties = properties;
        if (properties.getEndpoints().isEmpty()) {
            throw new IllegalArgumentException("flotilla.etcd.endpoints is empty: name at least one etcd endpoint");
        }
        current.set(newClient());
        LOG.info("etcd endpoints: {}", describeEndpoints());
    }

    public Client client() {
        return current.get();
    }

    /** Swaps in a fresh client if {@code failed} is still the current one; closes the failed one. */
    public void replace(Client failed) {
        Client fresh = newClient();
        if (current.compareAndSet(failed, fresh)) {
            failed.close();
        } else {
            fresh.close();
        }
    }

    public String describeEndpoints() {
        return String.join(",", properties.getEndpoints());
    }

    private Client newClient() {
        return Client.builder()
                .endpoints(properties.getEndpoints().toArray(String[]::new))
                .connectTimeout(properties.getConnectTimeout())
                .build();
    }

    @PreDestroy
    @Override
    public void close() {
        Client client = current.getAndSet(null);
        if (client != null) {
            client.close();
        }
    }
}
