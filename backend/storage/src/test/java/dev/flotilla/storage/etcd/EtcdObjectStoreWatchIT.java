package dev.flotilla.storage.etcd;

import static dev.flotilla.storage.etcd.StoreFixture.bytes;
import static dev.flotilla.storage.etcd.StoreFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.storage.CompactedException;
import dev.flotilla.storage.DeletedObject;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Watches of {@link EtcdObjectStore} against a real etcd (outages: {@link EtcdObjectStoreOutageIT}). */
class EtcdObjectStoreWatchIT extends EtcdStoreTestBase {

    @Test
    void watchFromARevisionDeliversExactlyTheLaterEventsInOrder() {
        String prefix = "/registry/watched/default/";
        long start = store.currentRevision();
        StoredObject created = store.create(prefix + "a", bytes("v1"));
        store.create("/registry/other/default/a", bytes("not watched"));
        StoredObject modified = store.update(prefix + "a", bytes("v2"), created.modRevision());
        DeletedObject deleted = store.delete(prefix + "a", modified.modRevision());

        RecordingListener listener = new RecordingListener();
        try (Watch watch = store.watch(prefix, start, listener)) {
            StoredObject marker = store.create(prefix + "marker", bytes("end"));
            List<WatchEvent> events = listener.awaitEventFor(marker.key());

            assertThat(events).hasSize(4);
            WatchEvent put = events.get(0);
            assertThat(put.type()).isEqualTo(WatchEvent.Type.PUT);
            assertThat(put.created()).isTrue();
            assertThat(put.revision()).isEqualTo(created.modRevision());
            assertThat(put.object()).isEqualTo(created);
            assertThat(put.previous()).isNull();

            WatchEvent update = events.get(1);
            assertThat(update.type()).isEqualTo(WatchEvent.Type.PUT);
            assertThat(update.created()).isFalse();
            assertThat(update.object()).isEqualTo(modified);
            assertThat(update.previous()).isEqualTo(created);

            WatchEvent delete = events.get(2);
            assertThat(delete.type()).isEqualTo(WatchEvent.Type.DELETE);
            assertThat(delete.key()).isEqualTo(prefix + "a");
            assertThat(delete.revision()).isEqualTo(deleted.deletedAtRevision());
            assertThat(delete.object()).isNull();
            assertThat(delete.previous()).isEqualTo(modified);
            assertThat(text(delete.previous().value())).isEqualTo("v2");

            assertThat(events.get(3).object()).isEqualTo(marker);
            assertThat(events.get(3).created()).isTrue();
            assertThat(listener.error()).isNull();
        }
    }

    /**
     * etcd before 3.4.31 / 3.5.13 may answer a progress request with a revision whose events are
     * still on their way (etcd-io/etcd#15220). Under concurrent writes and constant progress
     * requests (what a lagging watch cache does) every event must still arrive, once.
     */
    @Test
    void everyEventArrivesWhileProgressIsRequestedDuringConcurrentWrites() throws Exception {
        String prefix = "/registry/progressed/default/";
        int writers = 16;
        int perWriter = 150;
        RecordingListener listener = new RecordingListener();
        try (Watch watch = store.watch(prefix, store.currentRevision(), listener)) {
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread progress = new Thread(() -> {
                while (writing.get()) {
                    store.requestWatchProgress();
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                }
            });
            progress.start();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        store.create(prefix + writer + "-" + i, bytes("v"));
                    }
                }));
            }
            try {
                for (java.util.concurrent.Future<?> future : done) {
                    future.get();
                }
            } finally {
                writing.set(false);
                progress.join();
                pool.shutdownNow();
            }
            List<WatchEvent> events = listener.awaitEvents(writers * perWriter);
            assertThat(events).extracting(WatchEvent::key).doesNotHaveDuplicates().hasSize(writers * perWriter);
            assertThat(events).extracting(WatchEvent::revision).isSorted();
            assertThat(listener.error()).isNull();
        }
    }

    @Test
    void watchStartsAfterTheGivenRevision() {
        String prefix = "/registry/exclusive/default/";
        StoredObject created = store.create(prefix + "a", bytes("v1"));
        StoredObject modified = store.update(prefix + "a", bytes("v2"), created.modRevision());

        RecordingListener listener = new RecordingListener();
        try (Watch watch = store.watch(prefix, created.modRevision(), listener)) {
            StoredObject marker = store.create(prefix + "marker", bytes("end"));

            assertThat(listener.awaitEventFor(marker.key())).extracting(WatchEvent::revision)
                    .containsExactly(modified.modRevision(), marker.modRevision());
        }
    }

    @Test
    void watchFromRevisionZeroSeesOnlyChangesFromNowOn() {
        String prefix = "/registry/fromnow/default/";
        store.create(prefix + "before", bytes("old"));

        RecordingListener listener = new RecordingListener();
        try (Watch watch = store.watch(prefix, 0, listener)) {
            StoredObject after = store.create(prefix + "after", bytes("new"));

            assertThat(listener.awaitEventFor(after.key())).extracting(WatchEvent::key).containsExactly(after.key());
        }
    }

    @Test
    void watchFromACompactedRevisionReportsCompactedAndStops() {
        String prefix = "/registry/watchcompacted/default/";
        StoredObject v1 = store.create(prefix + "a", bytes("v1"));
        StoredObject v2 = store.update(prefix + "a", bytes("v2"), v1.modRevision());
        store.compact(v2.modRevision());

        RecordingListener listener = new RecordingListener();
        try (Watch watch = store.watch(prefix, v1.modRevision() - 1, listener)) {
            StorageException error = listener.awaitError();

            assertThat(error).isInstanceOf(CompactedException.class);
            CompactedException compacted = (CompactedException) error;
            assertThat(compacted.requestedRevision()).isEqualTo(v1.modRevision() - 1);
            assertThat(compacted.compactedRevision()).isEqualTo(v2.modRevision());

            // A watch that reported an error delivers nothing more; a fresh watch sees the write.
            RecordingListener after = new RecordingListener();
            try (Watch next = store.watch(prefix, v2.modRevision(), after)) {
                StoredObject v3 = store.update(prefix + "a", bytes("v3"), v2.modRevision());
                after.awaitEventFor(v3.key());
            }
            assertThat(listener.events()).isEmpty();
        }
    }

    @Test
    void closedWatchDeliversNothingMoreEvenWhenClosedFromItsOwnListener() {
        String prefix = "/registry/closing/default/";
        long start = store.currentRevision();
        List<WatchEvent> seen = new ArrayList<>();
        Watch[] self = new Watch[1];
        RecordingListener closer = new RecordingListener() {
            @Override
            public void onEvent(WatchEvent event) {
                super.onEvent(event);
                self[0].close();
                self[0].close();
            }
        };
        self[0] = store.watch(prefix, start, closer);
        RecordingListener witness = new RecordingListener();
        try (Watch watch = store.watch(prefix, start, witness)) {
            for (int i = 0; i < 5; i++) {
                store.create(prefix + i, bytes("v"));
            }
            seen.addAll(witness.awaitEvents(5));
        }

        assertThat(seen).hasSize(5);
        assertThat(closer.events()).hasSize(1);
        assertThat(closer.error()).isNull();
    }

    @Test
    void watchResumesWithoutGapsOrDuplicatesWhenItsClientIsReplaced() {
        String prefix = "/registry/replaced/default/";
        long start = store.currentRevision();
        RecordingListener listener = new RecordingListener();
        try (Watch watch = store.watch(prefix, start, listener)) {
            List<Long> written = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 5; i++) {
                    written.add(store.create(prefix + round + "-" + i, bytes("v")).modRevision());
                }
                // What another operation does after a failure: close the client the watch runs on.
                fixture.connection.replace(fixture.connection.client());
            }
            StoredObject marker = store.create(prefix + "marker", bytes("end"));
            written.add(marker.modRevision());

            assertThat(listener.awaitEventFor(marker.key())).extracting(WatchEvent::revision)
                    .containsExactlyElementsOf(written);
            assertThat(listener.error()).isNull();
        }
    }
}
