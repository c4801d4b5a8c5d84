package dev.flotilla.platform.objects;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.platform.db.PlatformDataSource;
import dev.flotilla.platform.db.PostgresProperties;
import dev.flotilla.platform.db.TestDatabases;
import dev.flotilla.storage.CompactedException;
import dev.flotilla.storage.ConflictException;
import dev.flotilla.storage.DeletedObject;
import dev.flotilla.storage.KeyExistsException;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.NotFoundException;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StorageUnavailableException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresObjectStoreIT {

    private static final String TENANTS = "/registry/tenancy.flotilla.dev/tenants/";

    private static PostgresServer postgres;
    private static int databases;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    private record Fixture(PlatformDataSource dataSource, PostgresObjectStore store) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
            dataSource.close();
        }
    }

    private static Fixture fixture() {
        PostgresProperties props = TestDatabases.properties(postgres.createDatabase("objects" + (++databases)));
        PlatformDataSource dataSource = TestDatabases.migrated(props);
        return new Fixture(dataSource, new PostgresObjectStore(dataSource, props.describe(), Duration.ofMillis(50)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    @Test
    void createGetUpdateDeleteWithCompareAndSwap() {
        try (Fixture f = fixture()) {
            PostgresObjectStore store = f.store();
            StoredObject created = store.create(TENANTS + "a", bytes("v1"));
            assertThat(created.modRevision()).isEqualTo(1).isEqualTo(created.createRevision());
            assertThat(store.get(TENANTS + "a")).contains(created);
            assertThatThrownBy(() -> store.create(TENANTS + "a", bytes("again")))
                    .isInstanceOfSatisfying(KeyExistsException.class, e -> assertThat(e.existing()).isEqualTo(created));

            StoredObject updated = store.update(TENANTS + "a", bytes("v2"), created.modRevision());
            assertThat(updated.modRevision()).isEqualTo(2);
            assertThat(updated.createRevision()).isEqualTo(1);
            assertThatThrownBy(() -> store.update(TENANTS + "a", bytes("stale"), created.modRevision()))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.current()).isEqualTo(updated));
            assertThatThrownBy(() -> store.update(TENANTS + "missing", bytes("x"), 0))
                    .isInstanceOf(NotFoundException.class);

            assertThat(store.get(TENANTS + "a", 1)).map(o -> new String(o.value(), UTF_8)).contains("v1");
            DeletedObject deleted = store.delete(TENANTS + "a", updated.modRevision());
            assertThat(deleted.lastState()).isEqualTo(updated);
            assertThat(deleted.deletedAtRevision()).isEqualTo(3);
            assertThat(store.get(TENANTS + "a")).isEmpty();
            assertThat(store.get(TENANTS + "a", 2)).contains(updated);
            assertThat(store.currentRevision()).isEqualTo(3);
            assertThatThrownBy(() -> store.get(TENANTS + "a", 9)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("newer than the store's current revision (3)");
            assertThatThrownBy(() -> store.delete(TENANTS + "a", 0)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.create("", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void listPagesShowOneSnapshotAndCompactionEndsOldReads() {
        try (Fixture f = fixture()) {
            PostgresObjectStore store = f.store();
            for (String name : List.of("a", "b", "c", "d")) {
                store.create(TENANTS + name, bytes(name));
            }
            store.create("/registry/tenancy.flotilla.dev/tenantsx/z", bytes("outside the prefix"));
            ListResult first = store.list(TENANTS, 0, 2, null);
            assertThat(first.items()).extracting(StoredObject::key).containsExactly(TENANTS + "a", TENANTS + "b");
            assertThat(first.more()).isTrue();
            assertThat(first.remainingCount()).isEqualTo(2);

            store.delete(TENANTS + "c", 0);
            store.create(TENANTS + "bb", bytes("later"));
            ListResult second = store.list(TENANTS, first.revision(), 2, TENANTS + "b");
            assertThat(second.items()).extracting(StoredObject::key).containsExactly(TENANTS + "c", TENANTS + "d");
            assertThat(second.more()).isFalse();
            assertThat(store.list(TENANTS, 0, 0, null).items()).extracting(StoredObject::key)
                    .containsExactly(TENANTS + "a", TENANTS + "b", TENANTS + "bb", TENANTS + "d");

            long now = store.currentRevision();
            store.compact(now);
            assertThatThrownBy(() -> store.list(TENANTS, first.revision(), 0, null))
                    .isInstanceOfSatisfying(CompactedException.class, e -> assertThat(e.compactedRevision()).isEqualTo(now));
            assertThat(store.list(TENANTS, now, 0, null).items()).hasSize(4);
            assertThat(store.get(TENANTS + "a", now)).isPresent();
            assertThat(store.get(TENANTS + "c", now)).isEmpty();
        }
    }

    @Test
    void fiftyConcurrentReadModifyWriteUpdatersLoseNoIncrement() throws Exception {
        try (Fixture f = fixture()) {
            PostgresObjectStore store = f.store();
            store.create(TENANTS + "counter", bytes("0"));
            ExecutorService pool = Executors.newFixedThreadPool(10);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                done.add(pool.submit(() -> {
                    while (true) {
                        StoredObject current = store.get(TENANTS + "counter").orElseThrow();
                        int next = Integer.parseInt(new String(current.value(), UTF_8)) + 1;
                        try {
                            store.update(TENANTS + "counter", bytes(Integer.toString(next)), current.modRevision());
                            return null;
                        } catch (ConflictException retry) {
                            // someone else won this round; read again
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            pool.shutdown();
            assertThat(new String(store.get(TENANTS + "counter").orElseThrow().value(), UTF_8)).isEqualTo("50");
            assertThat(store.currentRevision()).isEqualTo(51);
        }
    }

    @Test
    void watchDeliversEachChangeOnceInOrderWithThePreviousState() {
        try (Fixture f = fixture()) {
            PostgresObjectStore store = f.store();
            StoredObject before = store.create(TENANTS + "a", bytes("v1"));
            Recorder events = new Recorder();
            try (Watch watch = store.watch(TENANTS, before.modRevision(), events)) {
                store.update(TENANTS + "a", bytes("v2"), 0);
                store.create("/registry/other/x", bytes("not watched"));
                store.create(TENANTS + "b", bytes("b"));
                store.delete(TENANTS + "a", 0);
                Await.until(Duration.ofSeconds(30), "three events", () -> events.events.size() >= 3);
                assertThat(events.events).extracting(WatchEvent::revision).containsExactly(2L, 4L, 5L);
                WatchEvent modified = events.events.get(0);
                assertThat(modified.created()).isFalse();
                assertThat(modified.previous()).isEqualTo(before);
                assertThat(events.events.get(1).created()).isTrue();
                WatchEvent deleted = events.events.get(2);
                assertThat(deleted.type()).isEqualTo(WatchEvent.Type.DELETE);
                assertThat(new String(deleted.previous().value(), UTF_8)).isEqualTo("v2");

                store.requestWatchProgress();
                Await.until(Duration.ofSeconds(30), "progress", () -> events.progress.get() != null);
                assertThat(events.progress.get()).isEqualTo(5L);
            }
            assertThat(events.error.get()).isNull();
        }
    }

    @Test
    void watchFromACompactedRevisionFails() {
        try (Fixture f = fixture()) {
            PostgresObjectStore store = f.store();
            store.create(TENANTS + "a", bytes("1"));
            store.update(TENANTS + "a", bytes("2"), 0);
            store.update(TENANTS + "a", bytes("3"), 0);
            store.compact(3);
            Recorder events = new Recorder();
            try (Watch ignored = store.watch(TENANTS, 1, events)) {
                Await.until(Duration.ofSeconds(30), "the watch to fail", () -> events.error.get() != null);
            }
            assertThat(events.error.get()).isInstanceOf(CompactedException.class);
        }
    }

    @Test
    void postgresDownIsUnavailableAndAWatchResumesWithoutGaps() {
        try (Fixture f = fixture()) {
            PostgresObjectStore store = f.store();
            store.create(TENANTS + "a", bytes("1"));
            Recorder events = new Recorder();
            try (Watch ignored = store.watch(TENANTS, 0, events)) {
                store.update(TENANTS + "a", bytes("2"), 0);
                Await.until(Duration.ofSeconds(30), "first event", () -> events.events.size() == 1);
                postgres.stop();
                try {
                    assertThatThrownBy(() -> store.get(TENANTS + "a"))
                            .isInstanceOf(StorageUnavailableException.class)
                            .hasMessageStartingWith("PostgreSQL at ")
                            .hasMessageContaining("is unavailable");
                    assertThatThrownBy(() -> store.create(TENANTS + "b", bytes("b")))
                            .isInstanceOf(StorageUnavailableException.class);
                } finally {
                    postgres.startAgain();
                }
                Await.until(Duration.ofSeconds(60), "the store to answer again", () -> {
                    try {
                        store.update(TENANTS + "a", bytes("3"), 0);
                        return true;
                    } catch (StorageUnavailableException notYet) {
                        return false;
                    }
                });
                Await.until(Duration.ofSeconds(30), () -> "the event after the outage; delivered "
                        + events.events.stream().map(WatchEvent::revision).toList() + ", error " + events.error.get(),
                        () -> events.events.size() >= 2 || events.error.get() != null);
                assertThat(events.events).extracting(WatchEvent::revision).containsExactly(2L, 3L);
                assertThat(events.error.get()).isNull();
            }
        }
    }

    private static final class Recorder implements WatchListener {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<StorageException> error = new AtomicReference<>();
        final AtomicReference<Long> progress = new AtomicReference<>();

        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
        }

        @Override
        public void onError(StorageException e) {
            error.set(e);
        }

        @Override
        public void onProgress(long revision) {
            progress.set(revision);
        }
    }
}
