package dev.flotilla.storage.etcd;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import dev.flotilla.storage.StorageException;
import dev.flotilla.testsupport.FreePorts;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad arguments fail at once with a message naming them, before etcd is asked (none is running here). */
class EtcdObjectStoreArgumentsTest {

    private static final WatchListener IGNORE = new WatchListener() {
        @Override
        public void onEvent(WatchEvent event) {
        }

        @Override
        public void onError(StorageException error) {
        }
    };

    private static EtcdConnection connection;
    private static EtcdObjectStore store;

    @BeforeAll
    static void createStore() {
        EtcdProperties properties = StoreFixture.properties("http://127.0.0.1:" + FreePorts.next());
        connection = new EtcdConnection(properties);
        store = new EtcdObjectStore(connection, properties);
    }

    @AfterAll
    static void closeStore() {
        store.close();
        connection.close();
    }

    @Test
    void keysMustNotBeNullOrEmpty() {
        assertThatThrownBy(() -> store.create(null, new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key must not be null or empty");
        assertThatThrownBy(() -> store.create("", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.update("", new byte[0], 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesMustNotBeNull() {
        assertThatThrownBy(() -> store.create("/k", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value for key /k must not be null");
        assertThatThrownBy(() -> store.update("/k", null, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void revisionsAndLimitsMustNotBeNegative() {
        assertThatThrownBy(() -> store.get("/k", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("atRevision must be 0 or positive, got -1");
        assertThatThrownBy(() -> store.update("/k", new byte[0], -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expectedModRevision");
        assertThatThrownBy(() -> store.delete("/k", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list("/p/", -1, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list("/p/", 0, -1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> store.watch("/p/", -1, IGNORE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fromRevision");
        assertThatThrownBy(() -> store.compact(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsAndWatchesNeedAPrefixAndAListener() {
        assertThatThrownBy(() -> store.list("", 0, 0, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix must not be null or empty");
        assertThatThrownBy(() -> store.list("/p/", 0, 0, "/q/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startAfterKey /q/x is not under prefix /p/");
        assertThatThrownBy(() -> store.watch(null, 1, IGNORE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.watch("/p/", 1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listener must not be null");
    }

    @Test
    void requestTimeoutMustBePositive() {
        EtcdProperties properties = StoreFixture.properties("http://127.0.0.1:1");
        properties.setRequestTimeout(Duration.ZERO);
        assertThatThrownBy(() -> new EtcdObjectStore(connection, properties))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flotilla.etcd.request-timeout must be positive");
    }
}
