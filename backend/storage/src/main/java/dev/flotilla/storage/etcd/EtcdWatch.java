package dev.flotilla.storage.etcd;

import dev.flotilla.storage.CompactedException;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StorageUnavailableException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch on a key prefix that outlives the etcd stream under it.
 *
 * <p><b>Resume, not error, after etcd returns.</b> An etcd watch stream breaks when etcd restarts,
 * when the network drops, or when {@link EtcdConnection#replace} closes the client it ran on. The
 * watch remembers the revision of the last event it delivered and opens a new stream from the next
 * revision, so the listener sees every change exactly once, in order, across any number of breaks.
 * Callers (the watch cache) therefore need not relist after every etcd hiccup; they hear
 * {@link WatchListener#onError} only when the watch cannot continue: the revision it needs has been
 * compacted meanwhile ({@link CompactedException}), or etcd refused the watch.
 *
 * <p>jetcd would also retry a broken stream by itself, but on the same client (so behind gRPC's
 * reconnect back-off) and with its own notion of the resume revision. This class closes jetcd's
 * watcher on any break and takes over: it first checks with a read that etcd answers (swapping in
 * a fresh client if it does not, like every other operation), backing off between attempts, and
 * then opens a new stream on the current client. A stream etcd does not confirm within the request
 * timeout counts as broken too. Events of an old stream that arrive late are dropped, and events at
 * or below the last delivered revision are skipped.
 *
 * <p>Threads: events are delivered on jetcd's threads; errors and resumes happen on the store's
 * single watch thread. Delivery holds this watch's lock so the listener is called one event at a
 * time. jetcd's own callbacks for a broken stream never take that lock (they only hand over to the
 * watch thread), so a listener may close the watch from inside a callback without deadlock.
 */
final class EtcdWatch implements Watch {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);

    private static final long FIRST_RETRY_DELAY_MILLIS = 100;
    private static final long MAX_RETRY_DELAY_MILLIS = 5_000;
    /** A stream that lived this long counts as healthy: its break starts the back-off afresh. */
    private static final long HEALTHY_STREAM_MILLIS = 10_000;
    private static final ByteSequence PROBE_KEY = Keys.bytes("/");

    private final EtcdConnection etcd;
    private final String prefix;
    private final WatchListener listener;
    private final ScheduledExecutorService scheduler;
    private final long probeTimeoutMillis;
    private final Consumer<EtcdWatch> onClosed;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<Stream> stream = new AtomicReference<>();
    private final Object deliveryLock = new Object();
    /** The revision of the last delivered event (initially the revision the watch starts after). */
    private long lastRevision;
    /** The last progress revision passed on; guarded by the delivery lock. */
    private long lastProgress;
    /** Touched only on the watch thread. */
    private long retryDelayMillis = FIRST_RETRY_DELAY_MILLIS;

    EtcdWatch(EtcdConnection etcd, String prefix, long afterRevision, WatchListener listener,
            ScheduledExecutorService scheduler, long probeTimeoutMillis, Consumer<EtcdWatch> onClosed) {
        this.etcd = etcd;
        this.prefix = prefix;
        this.lastRevision = afterRevision;
        this.listener = listener;
        this.scheduler = scheduler;
        this.probeTimeoutMillis = probeTimeoutMillis;
        this.onClosed = onClosed;
    }

    void start() {
        open();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    @Override
    public String toString() {
        return "watch on " + prefix;
    }

    /** Opens an etcd stream from the revision after the last delivered one. */
    private void open() {
        if (closed.get()) {
            return;
        }
        Client client = etcd.client();
        if (client == null) {
            fail(new StorageUnavailableException("watch on " + prefix + " stopped: the etcd connection is closed"));
            return;
        }
        long from = lastDeliveredRevision() + 1;
        WatchOption option = WatchOption.builder()
                .isPrefix(true)
                .withRevision(from)
                .withPrevKV(true)
                // A member cut off from the cluster leader would otherwise keep the stream open and silent.
                .withRequireLeader(true)
                // etcd's confirmation that the stream is set up; see Stream#confirmOrGiveUp.
                .withCreateNotify(true)
                .build();
        Stream next = new Stream(from);
        stream.set(next);
        LOG.debug("opening an etcd watch stream on {} from revision {}", prefix, from);
        try {
            next.attach(client.getWatchClient().watch(Keys.bytes(prefix), option, next));
        } catch (RuntimeException e) {
            next.ended(e);
            return;
        }
        onWatchThread(next::confirmOrGiveUp, probeTimeoutMillis);
    }

    /** Called on the watch thread when the current stream broke or was closed under us. */
    private void streamEnded(Stream ended, Throwable failure) {
        if (closed.get() || stream.get() != ended) {
            return;
        }
        EtcdFailures.Kind kind = failure == null ? EtcdFailures.Kind.UNAVAILABLE : EtcdFailures.classify(failure);
        switch (kind) {
            case COMPACTED:
                fail(new CompactedException(ended.fromRevision - 1, EtcdFailures.compactedRevision(failure)));
                return;
            case REJECTED:
            case FUTURE_REVISION:
                fail(new StorageException("etcd at " + etcd.describeEndpoints() + " refused the watch on " + prefix
                        + ": " + EtcdFailures.describe(failure), failure));
                return;
            default:
                if (ended.ageMillis() >= HEALTHY_STREAM_MILLIS) {
                    retryDelayMillis = FIRST_RETRY_DELAY_MILLIS;
                }
                LOG.info("etcd watch on {} interrupted ({}); resuming after revision {}", prefix,
                        failure == null ? "stream closed" : EtcdFailures.describe(failure), lastDeliveredRevision());
                scheduleResume();
        }
    }

    private void scheduleResume() {
        long delay = retryDelayMillis;
        retryDelayMillis = Math.min(retryDelayMillis * 2, MAX_RETRY_DELAY_MILLIS);
        onWatchThread(this::probeThenOpen, delay);
    }

    /** Checks that etcd answers before opening a new stream, so a dead client gets replaced first. */
    private void probeThenOpen() {
        if (closed.get()) {
            return;
        }
        Client client = etcd.client();
        if (client == null) {
            fail(new StorageUnavailableException("watch on " + prefix + " stopped: the etcd connection is closed"));
            return;
        }
        CompletableFuture<?> probe;
        try {
            probe = client.getKVClient().get(PROBE_KEY, GetOption.builder().withCountOnly(true).build());
        } catch (RuntimeException e) {
            probe = CompletableFuture.failedFuture(e);
        }
        probe.orTimeout(probeTimeoutMillis, TimeUnit.MILLISECONDS)
                .whenComplete((ignored, failure) -> onWatchThread(() -> afterProbe(client, failure), 0));
    }

    private void afterProbe(Client client, Throwable failure) {
        if (closed.get()) {
            return;
        }
        if (failure == null) {
            open();
            return;
        }
        if (EtcdFailures.needsFreshClient(failure)) {
            etcd.replace(client);
        }
        LOG.debug("etcd at {} still unreachable for the watch on {}: {}", etcd.describeEndpoints(), prefix,
                EtcdFailures.describe(failure));
        scheduleResume();
    }

    private long lastDeliveredRevision() {
        synchronized (deliveryLock) {
            return lastRevision;
        }
    }

    /** Delivers one response's events from the current stream, skipping any already delivered. */
    private void deliver(Stream from, WatchResponse response) {
        synchronized (deliveryLock) {
            if (closed.get() || stream.get() != from) {
                return;
            }
            if (response.getEvents().isEmpty()) {
                progress(response.getHeader().getRevision());
                return;
            }
            // All events of one revision come in one response, so compare against the revision
            // delivered before this response, not the one just delivered.
            long delivered = lastRevision;
            for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
                long revision = event.getKeyValue().getModRevision();
                if (revision <= delivered) {
                    continue;
                }
                WatchEvent converted = convert(event);
                if (converted == null) {
                    continue;
                }
                try {
                    listener.onEvent(converted);
                } catch (RuntimeException e) {
                    LOG.warn("listener of the watch on {} failed; stopping the watch", prefix, e);
                    fail(new StorageException("the listener of the watch on " + prefix + " failed: " + e, e));
                    return;
                }
                lastRevision = Math.max(lastRevision, revision);
                if (closed.get()) {
                    return;
                }
            }
        }
    }

    /**
     * A response without events is a progress notification, passed on as a hint only: it neither
     * skips later events nor moves where a resumed stream starts. etcd before 3.4.31 / 3.5.13
     * (etcd-io/etcd#15220, the reason upstream's consistent reads from cache need those versions)
     * answers a progress request with the current revision even while older events are still on
     * their way to this stream; trusting it dropped those events for good.
     */
    private void progress(long revision) {
        if (revision <= lastRevision || revision <= lastProgress) {
            return;
        }
        lastProgress = revision;
        try {
            listener.onProgress(revision);
        } catch (RuntimeException e) {
            LOG.warn("listener of the watch on {} failed handling progress to revision {}", prefix, revision, e);
        }
    }

    private WatchEvent convert(io.etcd.jetcd.watch.WatchEvent event) {
        KeyValue kv = event.getKeyValue();
        KeyValue prev = event.getPrevKV();
        String key = Keys.text(kv.getKey());
        long revision = kv.getModRevision();
        StoredObject previous = Keys.present(prev) ? Keys.toStoredObject(prev) : null;
        switch (event.getEventType()) {
            case PUT:
                return new WatchEvent(WatchEvent.Type.PUT, key, revision, Keys.toStoredObject(kv), previous);
            case DELETE:
                return new WatchEvent(WatchEvent.Type.DELETE, key, revision, null, previous);
            default:
                LOG.warn("ignoring an etcd watch event of unknown type on {} at revision {}", key, revision);
                return null;
        }
    }

    /** Ends the watch for good and tells the listener, after any delivery in progress. */
    private void fail(StorageException error) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        release();
        synchronized (deliveryLock) {
            try {
                listener.onError(error);
            } catch (RuntimeException e) {
                LOG.warn("listener of the watch on {} failed handling {}", prefix, error, e);
            }
        }
    }

    private void release() {
        Stream current = stream.getAndSet(null);
        if (current != null) {
            current.closeWatcher();
        }
        onClosed.accept(this);
    }

    private void onWatchThread(Runnable task, long delayMillis) {
        try {
            scheduler.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("etcd watch on {} failed unexpectedly", prefix, e);
                    fail(new StorageException("the watch on " + prefix + " failed: " + e, e));
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException storeClosed) {
            close();
        }
    }

    /** One etcd watch stream: forwards its events while it is current and reports its end once. */
    private final class Stream implements io.etcd.jetcd.Watch.Listener {

        private final long fromRevision;
        private final long openedAtNanos = System.nanoTime();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile boolean confirmed;
        private volatile io.etcd.jetcd.Watch.Watcher watcher;

        Stream(long fromRevision) {
            this.fromRevision = fromRevision;
        }

        void attach(io.etcd.jetcd.Watch.Watcher opened) {
            watcher = opened;
            if (ended.get()) {
                opened.close();
            }
        }

        @Override
        public void onNext(WatchResponse response) {
            if (response.isCreatedNotify()) {
                confirmed = true;
                LOG.debug("etcd confirmed the watch stream on {} from revision {}", prefix, fromRevision);
            } else if (!ended.get()) {
                deliver(this, response);
            }
        }

        /**
         * Treats a stream etcd has not confirmed in time as broken. Without this, a stream could
         * wait forever: jetcd never reports anything for a watch opened on a client that is being
         * closed at that moment (another operation replacing it), and with gRPC's wait-for-ready a
         * stream opened just as etcd went away waits for the reconnect back-off, not for etcd.
         */
        void confirmOrGiveUp() {
            if (!confirmed && !ended.get()) {
                ended(new TimeoutException("etcd did not confirm the watch within " + probeTimeoutMillis + " ms"));
            }
        }

        @Override
        public void onError(Throwable failure) {
            ended(failure);
        }

        @Override
        public void onCompleted() {
            ended(null);
        }

        /**
         * jetcd calls this holding its own lock, so it only hands over to the watch thread; closing
         * jetcd's watcher there also stops jetcd from resuming the stream by itself.
         */
        void ended(Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                onWatchThread(() -> {
                    closeWatcher();
                    streamEnded(this, failure);
                }, 0);
            }
        }

        void closeWatcher() {
            ended.set(true);
            io.etcd.jetcd.Watch.Watcher current = watcher;
            if (current != null) {
                current.close();
            }
        }

        long ageMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAtNanos);
        }
    }
}
