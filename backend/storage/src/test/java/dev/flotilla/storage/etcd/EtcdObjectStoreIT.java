package dev.flotilla.storage.etcd;

import static dev.flotilla.storage.etcd.StoreFixture.bytes;
import static dev.flotilla.storage.etcd.StoreFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.storage.CompactedException;
import dev.flotilla.storage.ConflictException;
import dev.flotilla.storage.DeletedObject;
import dev.flotilla.storage.KeyExistsException;
import dev.flotilla.storage.NotFoundException;
import dev.flotilla.storage.ObjectStore;
import dev.flotilla.storage.StoredObject;
import io.micronaut.context.ApplicationContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Single-object operations of {@link EtcdObjectStore} against a real etcd. */
class EtcdObjectStoreIT extends EtcdStoreTestBase {

    @Test
    void createGetUpdateDeleteRoundTrip() {
        String key = "/registry/roundtrip/default/a";

        StoredObject created = store.create(key, bytes("v1"));
        assertThat(created.key()).isEqualTo(key);
        assertThat(created.createRevision()).isPositive().isEqualTo(created.modRevision());
        assertThat(store.get(key)).contains(created);

        StoredObject updated = store.update(key, bytes("v2"), created.modRevision());
        assertThat(updated.modRevision()).isGreaterThan(created.modRevision());
        assertThat(updated.createRevision()).isEqualTo(created.createRevision());
        assertThat(store.get(key)).contains(updated);
        assertThat(text(store.get(key).orElseThrow().value())).isEqualTo("v2");

        DeletedObject deleted = store.delete(key, updated.modRevision());
        assertThat(deleted.lastState()).isEqualTo(updated);
        assertThat(deleted.deletedAtRevision()).isGreaterThan(updated.modRevision());
        assertThat(store.get(key)).isEmpty();
        assertThat(store.currentRevision()).isEqualTo(deleted.deletedAtRevision());

        StoredObject recreated = store.create(key, new byte[0]);
        assertThat(recreated.createRevision()).isGreaterThan(deleted.deletedAtRevision());
        assertThat(store.get(key).orElseThrow().value()).isEmpty();
    }

    @Test
    void createOfAnExistingKeyFailsWithKeyExistsCarryingTheStoredObject() {
        String key = "/registry/exists/default/a";
        StoredObject first = store.create(key, bytes("first"));

        KeyExistsException e = catchThrowableOfType(() -> store.create(key, bytes("second")), KeyExistsException.class);

        assertThat(e.existing()).isEqualTo(first);
        assertThat(e).hasMessageContaining(key);
        assertThat(store.get(key)).contains(first);
    }

    @Test
    void updateOrDeleteWithAStaleRevisionFailsWithConflictCarryingTheCurrentObject() {
        String key = "/registry/conflict/default/a";
        StoredObject v1 = store.create(key, bytes("v1"));
        StoredObject v2 = store.update(key, bytes("v2"), v1.modRevision());

        ConflictException update = catchThrowableOfType(
                () -> store.update(key, bytes("lost"), v1.modRevision()), ConflictException.class);
        assertThat(update.current()).isEqualTo(v2);
        assertThat(update.expectedModRevision()).isEqualTo(v1.modRevision());
        assertThat(update).hasMessageContaining(key);

        ConflictException delete = catchThrowableOfType(
                () -> store.delete(key, v1.modRevision()), ConflictException.class);
        assertThat(delete.current()).isEqualTo(v2);
        assertThat(store.get(key)).contains(v2);
    }

    @Test
    void updateOrDeleteOfAMissingKeyFailsWithNotFound() {
        String key = "/registry/missing/default/a";

        assertThatThrownBy(() -> store.update(key, bytes("v"), 5)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(key);
        assertThatThrownBy(() -> store.update(key, bytes("v"), 0)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.delete(key, 5)).isInstanceOf(NotFoundException.class);
        NotFoundException e = catchThrowableOfType(() -> store.delete(key, 0), NotFoundException.class);
        assertThat(e.key()).isEqualTo(key);
        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void revisionZeroMakesUpdateAndDeleteUnconditional() {
        String key = "/registry/unconditional/default/a";
        StoredObject v1 = store.create(key, bytes("v1"));
        store.update(key, bytes("v2"), v1.modRevision());

        StoredObject v3 = store.update(key, bytes("v3"), 0);
        assertThat(v3.createRevision()).isEqualTo(v1.createRevision());

        DeletedObject deleted = store.delete(key, 0);
        assertThat(deleted.lastState()).isEqualTo(v3);
    }

    @Test
    void getAtAnOlderRevisionShowsThatStateUntilItIsCompacted() {
        String key = "/registry/history/default/a";
        StoredObject v1 = store.create(key, bytes("v1"));
        StoredObject v2 = store.update(key, bytes("v2"), v1.modRevision());

        assertThat(store.get(key, v1.modRevision())).contains(v1);
        assertThat(store.get(key, v1.modRevision() - 1)).isEmpty();
        assertThat(store.get(key, v2.modRevision())).contains(v2);

        store.compact(v2.modRevision());
        store.compact(v2.modRevision()); // again: nothing to do, no error

        CompactedException e = catchThrowableOfType(() -> store.get(key, v1.modRevision()), CompactedException.class);
        assertThat(e.requestedRevision()).isEqualTo(v1.modRevision());
        assertThat(store.get(key, v2.modRevision())).contains(v2);
    }

    @Test
    void fiftyConcurrentUpdatersDoingReadModifyWriteLoseNoIncrement() throws Exception {
        String key = "/registry/counter/default/c";
        store.create(key, bytes("0"));
        int updaters = 50;
        int incrementsEach = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(updaters);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int i = 0; i < updaters; i++) {
                results.add(pool.submit(incrementer(key, incrementsEach, go)));
            }
            go.countDown();
            Set<Long> revisions = new HashSet<>();
            for (Future<List<Long>> result : results) {
                revisions.addAll(result.get(2, TimeUnit.MINUTES));
            }

            int total = updaters * incrementsEach;
            assertThat(revisions).as("every successful write has its own revision").hasSize(total);
            assertThat(text(store.get(key).orElseThrow().value())).isEqualTo(Integer.toString(total));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Increments the counter {@code times} times by read, modify, compare-and-swap, retrying on conflict. */
    private static Callable<List<Long>> incrementer(String key, int times, CountDownLatch go) {
        return () -> {
            go.await();
            List<Long> written = new ArrayList<>();
            StoredObject current = store.get(key).orElseThrow();
            while (written.size() < times) {
                int next = Integer.parseInt(text(current.value())) + 1;
                try {
                    current = store.update(key, bytes(Integer.toString(next)), current.modRevision());
                    written.add(current.modRevision());
                } catch (ConflictException e) {
                    current = e.current();
                }
            }
            return written;
        };
    }

    @Test
    void isAMicronautBeanConfiguredFromFlotillaEtcdProperties() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "flotilla.etcd.endpoints", etcd.endpoint(),
                "flotilla.etcd.request-timeout", "3s"))) {
            assertThat(context.getBean(EtcdProperties.class).getRequestTimeout()).hasSeconds(3);
            ObjectStore beanStore = context.getBean(ObjectStore.class);
            assertThat(beanStore).isInstanceOf(EtcdObjectStore.class);

            StoredObject created = beanStore.create("/registry/bean/default/a", bytes("v"));
            assertThat(store.get("/registry/bean/default/a")).isEqualTo(Optional.of(created));
        }
    }
}
