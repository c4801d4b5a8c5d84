package dev.flotilla.storage.etcd;

import static dev.flotilla.storage.etcd.StoreFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.storage.StorageUnavailableException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link EtcdObjectStore} while etcd goes away and comes back. */
class EtcdObjectStoreOutageIT extends EtcdStoreTestBase {

    @Test
    void operationsFailWithinTheTimeoutNamingEtcdWhileItIsDownAndWorkAgainAfter() {
        String key = "/registry/outage-ops/default/a";
        StoredObject created = store.create(key, bytes("v1"));
        etcd.stop();
        try {
            long start = System.nanoTime();
            StorageUnavailableException e = catchThrowableOfType(
                    () -> store.update(key, bytes("v2"), created.modRevision()), StorageUnavailableException.class);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(e).hasMessageContaining("etcd at " + etcd.endpoint() + " is unreachable")
                    .hasMessageContaining("update " + key);
            assertThat(took).isLessThan(StoreFixture.REQUEST_TIMEOUT.plusSeconds(2));
            assertThat(catchThrowableOfType(store::currentRevision, StorageUnavailableException.class))
                    .hasMessageContaining(etcd.endpoint());
        } finally {
            etcd.startAgain();
        }
        Await.until(Duration.ofSeconds(10), "the store to reach etcd again", () -> store.get(key).isPresent());
    }

    /**
     * The watch resumes from the last revision it delivered: every change appears once, including
     * changes made after etcd returned but before the watch had reconnected.
     */
    @Test
    void watchResumesAfterEtcdRestartsWithNoMissedAndNoDuplicatedEvents() {
        String prefix = "/registry/outage-watch/default/";
        long start = store.currentRevision();
        RecordingListener listener = new RecordingListener();
        try (Watch watch = store.watch(prefix, start, listener)) {
            List<Long> written = new ArrayList<>();
            List<StoredObject> before = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                StoredObject object = store.create(prefix + i, bytes("v1"));
                before.add(object);
                written.add(object.modRevision());
            }
            listener.awaitEvents(3);

            etcd.stop();
            etcd.startAgain();
            // Write at once through a new connection, before the watch is back on its feet.
            try (StoreFixture other = new StoreFixture(etcd)) {
                written.add(other.store.update(prefix + 0, bytes("v2"), before.get(0).modRevision()).modRevision());
                written.add(other.store.delete(prefix + 1, before.get(1).modRevision()).deletedAtRevision());
                written.add(other.store.create(prefix + 3, bytes("v1")).modRevision());
            }
            Await.until(Duration.ofSeconds(30), "the first store to reach etcd again", () -> store.currentRevision() > 0);
            StoredObject marker = store.create(prefix + "marker", bytes("end"));
            written.add(marker.modRevision());

            List<WatchEvent> events = listener.awaitEventFor(marker.key());
            assertThat(events).extracting(WatchEvent::revision).containsExactlyElementsOf(written);
            assertThat(events).extracting(WatchEvent::type).containsExactly(
                    WatchEvent.Type.PUT, WatchEvent.Type.PUT, WatchEvent.Type.PUT,
                    WatchEvent.Type.PUT, WatchEvent.Type.DELETE, WatchEvent.Type.PUT, WatchEvent.Type.PUT);
            assertThat(events.get(4).previous()).isEqualTo(before.get(1));
            assertThat(listener.error()).isNull();
        }
    }

    @Test
    void watchOpenedWhileEtcdIsDownDeliversOnceEtcdIsBack() {
        String prefix = "/registry/outage-late/default/";
        long start = store.currentRevision();
        RecordingListener listener = new RecordingListener();
        etcd.stop();
        Watch watch;
        try {
            watch = store.watch(prefix, start, listener);
            // Keep etcd away for longer than the request timeout, the time the watch waits for etcd to confirm it.
            assertThat(catchThrowableOfType(store::currentRevision, StorageUnavailableException.class)).isNotNull();
            assertThat(catchThrowableOfType(store::currentRevision, StorageUnavailableException.class)).isNotNull();
        } finally {
            etcd.startAgain();
        }
        try (watch; StoreFixture other = new StoreFixture(etcd)) {
            StoredObject created = other.store.create(prefix + "a", bytes("v1"));

            assertThat(listener.awaitEventFor(created.key())).extracting(WatchEvent::object).containsExactly(created);
            assertThat(listener.error()).isNull();
        }
    }
}
