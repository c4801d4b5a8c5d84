package dev.flotilla.storage.etcd;

import dev.flotilla.testsupport.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** An {@link EtcdObjectStore} on its own connection to a test etcd; closing it closes both. */
final class StoreFixture implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    final EtcdConnection connection;
    final EtcdObjectStore store;

    StoreFixture(EtcdServer etcd) {
        EtcdProperties properties = properties(etcd.endpoint());
        this.connection = new EtcdConnection(properties);
        this.store = new EtcdObjectStore(connection, properties);
    }

    static EtcdProperties properties(String endpoint) {
        EtcdProperties properties = new EtcdProperties();
        properties.setEndpoints(List.of(endpoint));
        properties.setRequestTimeout(REQUEST_TIMEOUT);
        return properties;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        store.close();
        connection.close();
    }
}
