package dev.flotilla.storage.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import dev.flotilla.storage.etcd.EtcdConnection;
import dev.flotilla.storage.etcd.EtcdObjectStore;
import dev.flotilla.storage.etcd.EtcdProperties;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The watch cache on a real etcd: lists and watches served from memory, fed only by etcd. */
class WatchCacheIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static EtcdServer etcd;
    static EtcdConnection connection;
    static EtcdObjectStore store;
    static WatchCaches caches;

    @BeforeAll
    static void start() {
        etcd = EtcdServer.start();
        EtcdProperties properties = new EtcdProperties();
        properties.setEndpoints(List.of(etcd.endpoint()));
        properties.setRequestTimeout(Duration.ofSeconds(2));
        connection = new EtcdConnection(properties);
        store = new EtcdObjectStore(connection, properties);
        WatchCacheProperties cacheProperties = new WatchCacheProperties();
        cacheProperties.setEventRingSize(5);
        cacheProperties.setWatcherBuffer(3);
        caches = new WatchCaches(store, cacheProperties);
    }

    @AfterAll
    static void stop() {
        caches.close();
        store.close();
        connection.close();
        etcd.close();
    }

    @Test
    void listsWhatEtcdHoldsAndFollowsChangesMadeByAnyWriter() throws Exception {
        String prefix = "/registry/core/configmaps/";
        store.create(prefix + "a/one", bytes("1"));
        store.create(prefix + "b/two", bytes("2"));
        WatchCache cache = caches.forPrefix(prefix);
        assertThat(keys(cache.snapshot(prefix))).containsExactly(prefix + "a/one", prefix + "b/two");

        // A write through the store (as another API server would make it) shows up once etcd reports it.
        StoredObject three = store.create(prefix + "a/three", bytes("3"));
        assertThat(cache.awaitRevision(three.modRevision(), WAIT)).isTrue();
        CacheSnapshot inA = cache.snapshot(prefix + "a/");
        assertThat(keys(inA)).containsExactly(prefix + "a/one", prefix + "a/three");
        assertThat(inA.revision()).isGreaterThanOrEqualTo(three.modRevision());
    }

    @Test
    void anIdlePrefixCatchesUpThroughEtcdProgressReports() throws Exception {
        String prefix = "/registry/core/secrets/";
        WatchCache cache = caches.forPrefix(prefix);
        StoredObject elsewhere = store.create("/registry/core/other/x", bytes("x"));
        assertThat(cache.awaitRevision(elsewhere.modRevision(), Duration.ofSeconds(3))).isTrue();
        assertThat(cache.revision()).isGreaterThanOrEqualTo(elsewhere.modRevision());
    }

    @Test
    void watchesReplayTheRingThenFollowLiveAndRefuseRevisionsOlderThanTheRing() throws Exception {
        String prefix = "/registry/apps/deployments/";
        WatchCache cache = caches.forPrefix(prefix);
        long start = cache.revision();
        StoredObject first = store.create(prefix + "ns/d1", bytes("1"));
        store.update(prefix + "ns/d1", bytes("2"), first.modRevision());
        Await.until(WAIT, "the cache saw both writes", () -> cache.revision() > first.modRevision());

        Recorder fromStart = new Recorder();
        try (Watch watch = cache.watch(prefix + "ns/", start, fromStart).orElseThrow()) {
            StoredObject second = store.create(prefix + "ns/d2", bytes("3"));
            store.create(prefix + "other/d3", bytes("4"));
            Await.until(WAIT, "three events under ns/", () -> fromStart.events.size() == 3);
            assertThat(fromStart.events).extracting(WatchEvent::key)
                    .containsExactly(prefix + "ns/d1", prefix + "ns/d1", prefix + "ns/d2");
            assertThat(fromStart.events.get(2).revision()).isEqualTo(second.modRevision());
        }
        for (int i = 0; i < 6; i++) {
            store.create(prefix + "ns/more" + i, bytes("x"));
        }
        long now = store.currentRevision();
        Await.until(WAIT, "the cache caught up", () -> cache.revision() >= now);
        assertThat(cache.watch(prefix, start, new Recorder())).isEmpty();
    }

    @Test
    void aWatcherThatFallsBehindIsClosedWithoutHoldingUpOthers() throws Exception {
        String prefix = "/registry/core/services/";
        WatchCache cache = caches.forPrefix(prefix);
        long start = cache.revision();
        Object gate = new Object();
        Recorder blocked = new Recorder() {
            @Override
            public void onEvent(WatchEvent event) {
                synchronized (gate) {
                    super.onEvent(event);
                }
            }
        };
        Recorder healthy = new Recorder();
        try (Watch slow = cache.watch(prefix, start, blocked).orElseThrow();
                Watch fast = cache.watch(prefix, start, healthy).orElseThrow()) {
            synchronized (gate) {
                for (int i = 0; i < 8; i++) {
                    store.create(prefix + "ns/s" + i, bytes("x"));
                }
                Await.until(WAIT, "the healthy watcher got all events", () -> healthy.events.size() == 8);
            }
            Await.until(WAIT, "the slow watcher was closed", () -> blocked.error.get() != null);
            assertThat(blocked.error.get()).hasMessageContaining("fell behind");
            assertThat(healthy.error.get()).isNull();
        }
    }

    private static List<String> keys(CacheSnapshot snapshot) {
        return snapshot.items().stream().map(StoredObject::key).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static class Recorder implements WatchListener {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<StorageException> error = new AtomicReference<>();

        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
        }

        @Override
        public void onError(StorageException e) {
            error.set(e);
        }
    }
}
