package dev.flotilla.storage.etcd;

import dev.flotilla.storage.CompactedException;
import dev.flotilla.storage.ConflictException;
import dev.flotilla.storage.DeletedObject;
import dev.flotilla.storage.KeyExistsException;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.NotFoundException;
import dev.flotilla.storage.ObjectStore;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StorageUnavailableException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@link ObjectStore} on etcd: one key per object, the mod revision as the object's version.
 *
 * <p>Each conditional write is a single etcd transaction (compare the revision, then write; else
 * read the current object), so a conflict costs one round trip and reports what won. Lists read
 * one page per range request at one fixed revision, so every page of a list shows the same
 * snapshot. Watches are {@link EtcdWatch}es; they resume by themselves after etcd comes back.
 *
 * <p>Each operation takes {@link EtcdConnection#client()} afresh and waits at most the request
 * timeout. When etcd is unreachable or silent, the operation swaps in a fresh client before failing
 * (see {@link EtcdConnection}), so the next call connects at once when etcd is back.
 */
@Singleton
public class EtcdObjectStore implements ObjectStore, AutoCloseable {

    /** A key read only for the response header (the current revision); it need not exist. */
    private static final ByteSequence REVISION_PROBE_KEY = Keys.bytes("/");

    private final EtcdConnection etcd;
    private final long timeoutMillis;
    private final ScheduledExecutorService watchScheduler;
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();

    public EtcdObjectStore(EtcdConnection etcd, EtcdProperties properties) {
        if (properties.getRequestTimeout() == null || properties.getRequestTimeout().isNegative()
                || properties.getRequestTimeout().isZero()) {
            throw new IllegalArgumentException("flotilla.etcd.request-timeout must be positive, got "
                    + properties.getRequestTimeout());
        }
        this.etcd = etcd;
        this.timeoutMillis = properties.getRequestTimeout().toMillis();
        this.watchScheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "flotilla-etcd-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public StoredObject create(String key, byte[] value) {
        Arguments.key(key);
        Arguments.value(key, value);
        ByteSequence k = Keys.bytes(key);
        TxnResponse response = call("create " + key, 0, kv -> kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        if (response.isSucceeded()) {
            long revision = response.getHeader().getRevision();
            return new StoredObject(key, value, revision, revision);
        }
        throw new KeyExistsException(Keys.toStoredObject(onlyKeyValue(response)));
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return get(key, 0);
    }

    @Override
    public Optional<StoredObject> get(String key, long atRevision) {
        Arguments.key(key);
        Arguments.revision("atRevision", atRevision);
        GetResponse response = call("get " + key, atRevision,
                kv -> kv.get(Keys.bytes(key), GetOption.builder().withRevision(atRevision).build()));
        return response.getKvs().stream().findFirst().map(Keys::toStoredObject);
    }

    @Override
    public StoredObject update(String key, byte[] value, long expectedModRevision) {
        Arguments.key(key);
        Arguments.value(key, value);
        Arguments.revision("expectedModRevision", expectedModRevision);
        ByteSequence k = Keys.bytes(key);
        TxnResponse response = call("update " + key, 0, kv -> kv.txn()
                .If(expectation(k, expectedModRevision))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.builder().withPrevKV().build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        if (response.isSucceeded()) {
            KeyValue previous = response.getPutResponses().get(0).getPrevKv();
            return new StoredObject(key, value, response.getHeader().getRevision(), previous.getCreateRevision());
        }
        throw refusal(key, expectedModRevision, response);
    }

    @Override
    public DeletedObject delete(String key, long expectedModRevision) {
        Arguments.key(key);
        Arguments.revision("expectedModRevision", expectedModRevision);
        ByteSequence k = Keys.bytes(key);
        TxnResponse response = call("delete " + key, 0, kv -> kv.txn()
                .If(expectation(k, expectedModRevision))
                .Then(Op.delete(k, DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        if (response.isSucceeded()) {
            KeyValue last = response.getDeleteResponses().get(0).getPrevKvs().get(0);
            return new DeletedObject(Keys.toStoredObject(last), response.getHeader().getRevision());
        }
        throw refusal(key, expectedModRevision, response);
    }

    @Override
    public ListResult list(String prefix, long atRevision, int limit, String startAfterKey) {
        Arguments.prefix(prefix);
        Arguments.revision("atRevision", atRevision);
        Arguments.limit(limit);
        Arguments.startAfter(prefix, startAfterKey);
        ByteSequence from = startAfterKey == null ? Keys.bytes(prefix) : Keys.justAfter(startAfterKey);
        // etcd returns a range in ascending key order; asking for a sort would make it read the
        // whole range before applying the limit.
        GetOption option = GetOption.builder()
                .withRange(Keys.rangeEnd(prefix))
                .withRevision(atRevision)
                .withLimit(limit)
                .build();
        GetResponse response = call("list " + prefix, atRevision, kv -> kv.get(from, option));
        List<StoredObject> items = response.getKvs().stream().map(Keys::toStoredObject).toList();
        // The header always carries etcd's current revision, also for a read at an older one.
        long revision = atRevision > 0 ? atRevision : response.getHeader().getRevision();
        long remaining = response.isMore() ? response.getCount() - items.size() : 0;
        return new ListResult(items, revision, response.isMore(), remaining);
    }

    @Override
    public long currentRevision() {
        GetResponse response = call("read the current revision", 0,
                kv -> kv.get(REVISION_PROBE_KEY, GetOption.builder().withCountOnly(true).build()));
        return response.getHeader().getRevision();
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        Arguments.prefix(prefix);
        Arguments.revision("fromRevision", fromRevision);
        Arguments.notNull("listener", listener);
        long after = fromRevision > 0 ? fromRevision : currentRevision();
        EtcdWatch watch = new EtcdWatch(etcd, prefix, after, listener, watchScheduler, timeoutMillis, watches::remove);
        watches.add(watch);
        watch.start();
        return watch;
    }

    @Override
    public void requestWatchProgress() {
        Client client = etcd.client();
        if (client != null) {
            try {
                client.getWatchClient().requestProgress();
            } catch (RuntimeException e) {
                // Best effort: a watch that misses this progress report hears the next one.
            }
        }
    }

    @Override
    public void compact(long revision) {
        if (revision <= 0) {
            throw new IllegalArgumentException("revision to compact must be positive, got " + revision);
        }
        try {
            call("compact to revision " + revision, revision, kv -> kv.compact(revision));
        } catch (CompactedException alreadyCompacted) {
            // History before this revision is gone already: exactly what was asked for.
        }
    }

    /** Closes every open watch (without calling their listeners) and the watch thread. */
    @PreDestroy
    @Override
    public void close() {
        List.copyOf(watches).forEach(EtcdWatch::close);
        watchScheduler.shutdownNow();
    }

    /** The transaction condition: the key is at this mod revision, or (for 0) simply exists. */
    private static Cmp expectation(ByteSequence key, long expectedModRevision) {
        return expectedModRevision == 0
                ? new Cmp(key, Cmp.Op.GREATER, CmpTarget.createRevision(0))
                : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision));
    }

    /** Why a conditional write's transaction took its else branch (which read the key). */
    private static StorageException refusal(String key, long expectedModRevision, TxnResponse response) {
        List<KeyValue> current = response.getGetResponses().get(0).getKvs();
        if (current.isEmpty()) {
            return new NotFoundException(key);
        }
        return new ConflictException(expectedModRevision, Keys.toStoredObject(current.get(0)));
    }

    private static KeyValue onlyKeyValue(TxnResponse response) {
        return response.getGetResponses().get(0).getKvs().get(0);
    }

    /**
     * Runs one etcd call on the current client and waits for it within the request timeout,
     * translating failures into the store's exceptions.
     *
     * @param revision the revision the call reads at (for the compaction error), 0 when none
     */
    private <T> T call(String operation, long revision, Function<KV, CompletableFuture<T>> request) {
        Client client = etcd.client();
        if (client == null) {
            throw new StorageUnavailableException("cannot " + operation + ": the etcd connection is closed");
        }
        CompletableFuture<T> future;
        try {
            future = request.apply(client.getKVClient());
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            etcd.replace(client);
            throw new StorageUnavailableException("etcd at " + etcd.describeEndpoints()
                    + " is unreachable: no answer within " + timeoutMillis + " ms (" + operation + ")", e);
        } catch (ExecutionException e) {
            throw translate(operation, revision, client, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StorageException("interrupted while waiting for etcd (" + operation + ")", e);
        }
    }

    private StorageException translate(String operation, long revision, Client client, Throwable failure) {
        Throwable cause = EtcdFailures.unwrap(failure);
        String reason = EtcdFailures.describe(cause);
        switch (EtcdFailures.classify(cause)) {
            case COMPACTED:
                return new CompactedException(revision, EtcdFailures.compactedRevision(cause));
            case UNAVAILABLE:
                if (EtcdFailures.needsFreshClient(cause)) {
                    etcd.replace(client);
                }
                return new StorageUnavailableException("etcd at " + etcd.describeEndpoints() + " is unreachable: "
                        + reason + " (" + operation + ")", cause);
            case FUTURE_REVISION:
                return new StorageException("revision " + revision + " is newer than etcd's current revision ("
                        + operation + ")", cause);
            default:
                return new StorageException("etcd at " + etcd.describeEndpoints() + " failed to " + operation + ": "
                        + reason, cause);
        }
    }
}
