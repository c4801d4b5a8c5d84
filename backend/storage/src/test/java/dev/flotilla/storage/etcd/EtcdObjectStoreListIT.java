package dev.flotilla.storage.etcd;

import static dev.flotilla.storage.etcd.StoreFixture.bytes;
import static dev.flotilla.storage.etcd.StoreFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.storage.CompactedException;
import dev.flotilla.storage.ConflictException;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Consistent, paged lists of {@link EtcdObjectStore} against a real etcd. */
class EtcdObjectStoreListIT extends EtcdStoreTestBase {

    @Test
    void listReturnsTheKeysUnderThePrefixSortedAndNothingElse() {
        store.create("/registry/pods/a/2", bytes("a2"));
        store.create("/registry/pods/a/1", bytes("a1"));
        store.create("/registry/pods/ab/1", bytes("ab1"));
        store.create("/registry/pods/b/1", bytes("b1"));
        store.create("/registry/pods/a", bytes("not under /registry/pods/a/"));

        ListResult result = store.list("/registry/pods/a/", 0, 0, null);

        assertThat(result.items()).extracting(StoredObject::key)
                .containsExactly("/registry/pods/a/1", "/registry/pods/a/2");
        assertThat(result.items()).extracting(item -> text(item.value())).containsExactly("a1", "a2");
        assertThat(result.more()).isFalse();
        assertThat(result.remainingCount()).isZero();
        assertThat(result.revision()).isEqualTo(store.currentRevision());
        assertThat(store.list("/registry/nothing/", 0, 0, null).items()).isEmpty();
    }

    @Test
    void pagesOfAListShowOneSnapshotWhileWritesContinue() throws Exception {
        String prefix = "/registry/snapshot/default/";
        for (int i = 0; i < 20; i++) {
            store.create(prefix + key(i), bytes("initial-" + i));
        }
        AtomicInteger backgroundWrites = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> churn(prefix, stop, backgroundWrites, writerFailure), "list-churn");
        writer.start();
        try {
            List<StoredObject> paged = new ArrayList<>();
            List<String> insertedAfterSnapshot = new ArrayList<>();
            ListResult page = store.list(prefix, 0, 7, null);
            long snapshot = page.revision();
            paged.addAll(page.items());
            int pages = 1;
            while (page.more()) {
                assertThat(page.items()).hasSize(7);
                // Changes in the part of the range still to come, both from the churn and right here.
                int before = backgroundWrites.get();
                Await.until(Duration.ofSeconds(30), "the background writer to write more",
                        () -> backgroundWrites.get() >= before + 3);
                String last = page.items().get(page.items().size() - 1).key();
                insertedAfterSnapshot.add(store.create(last + "-inserted", bytes("new")).key());
                store.update(prefix + key(19), bytes("changed-after-snapshot"), 0);

                long remainingBefore = page.remainingCount();
                page = store.list(prefix, snapshot, 7, last);
                assertThat(page.revision()).isEqualTo(snapshot);
                assertThat(remainingBefore).isEqualTo(page.items().size() + page.remainingCount());
                paged.addAll(page.items());
                pages++;
            }
            stop.set(true);
            writer.join(30_000);
            assertThat(writerFailure.get()).isNull();

            assertThat(pages).isGreaterThanOrEqualTo(3);
            assertThat(paged).isEqualTo(store.list(prefix, snapshot, 0, null).items());
            assertThat(paged).extracting(StoredObject::key).doesNotContainAnyElementsOf(insertedAfterSnapshot);
            assertThat(paged).allSatisfy(item -> assertThat(item.modRevision()).isLessThanOrEqualTo(snapshot));
            assertThat(paged).anySatisfy(item -> assertThat(item.key()).isEqualTo(prefix + key(19)))
                    .noneSatisfy(item -> assertThat(text(item.value())).isEqualTo("changed-after-snapshot"));
            assertThat(store.list(prefix, 0, 0, null).items()).isNotEqualTo(paged);
        } finally {
            stop.set(true);
            writer.join(30_000);
        }
    }

    /** Keeps modifying, creating and deleting keys under {@code prefix} until told to stop. */
    private static void churn(String prefix, AtomicBoolean stop, AtomicInteger writes, AtomicReference<Throwable> failure) {
        try {
            for (int n = 0; !stop.get(); n++) {
                String existing = prefix + key(n % 20);
                try {
                    StoredObject current = store.get(existing).orElseThrow();
                    store.update(existing, bytes("churn-" + n), current.modRevision());
                } catch (ConflictException raceWithTheTest) {
                    // the test changed it in between; fine
                }
                StoredObject extra = store.create(prefix + key(n % 20) + "-churn-" + n, bytes("churn"));
                if (n % 2 == 0) {
                    store.delete(extra.key(), extra.modRevision());
                }
                writes.incrementAndGet();
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    private static String key(int i) {
        return String.format("obj-%02d", i);
    }

    @Test
    void listAtACompactedRevisionFailsWithCompacted() {
        String prefix = "/registry/compacted/default/";
        store.create(prefix + "a", bytes("v1"));
        ListResult old = store.list(prefix, 0, 1, null);
        StoredObject now = store.update(prefix + "a", bytes("v2"), 0);
        store.compact(now.modRevision());

        CompactedException e = catchThrowableOfType(
                () -> store.list(prefix, old.revision(), 1, null), CompactedException.class);

        assertThat(e.requestedRevision()).isEqualTo(old.revision());
        assertThat(e).hasMessageContaining("revision " + old.revision() + " has been compacted");
        assertThat(store.list(prefix, now.modRevision(), 0, null).items()).containsExactly(now);
    }

    @Test
    void listAtAFutureRevisionFailsClearly() {
        long future = store.currentRevision() + 1000;

        assertThatThrownBy(() -> store.list("/registry/future/", future, 0, null))
                .isExactlyInstanceOf(StorageException.class)
                .hasMessageContaining("revision " + future + " is newer than etcd's current revision");
    }
}
