package dev.flotilla.platform.objects;

import dev.flotilla.storage.CompactedException;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StorageUnavailableException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch over {@link PostgresObjectStore}: reads the write log for revisions after the last one
 * it looked at, when the store's shared tick finds the store's revision past that. While PostgreSQL
 * is unreachable it keeps being polled and resumes where it stopped, so a listener sees no gap and no
 * duplicate; only a compacted start ends it with an error.
 */
final class PostgresWatch implements Watch {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresWatch.class);
    private static final int BATCH = 500;
    // Each change with the state before it (the key's previous log row; gone once compacted).
    private static final String CHANGES = "SELECT l.revision, l.key, l.value, l.create_revision,"
            + " p.value, p.revision, p.create_revision FROM platform_object_log l"
            + " LEFT JOIN LATERAL (SELECT value, revision, create_revision FROM platform_object_log"
            + "   WHERE key = l.key AND revision < l.revision ORDER BY revision DESC LIMIT 1) p ON true"
            + " WHERE l.revision > ? AND starts_with(l.key, ?) ORDER BY l.revision LIMIT " + BATCH;

    private final PostgresObjectStore store;
    private final String prefix;
    private final WatchListener listener;
    private final Consumer<PostgresWatch> onClose;
    private volatile long delivered;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean progressRequested;
    private String lastFailure;

    PostgresWatch(PostgresObjectStore store, String prefix, long fromRevision, WatchListener listener,
            Consumer<PostgresWatch> onClose) {
        this.store = store;
        this.prefix = prefix;
        this.listener = listener;
        this.onClose = onClose;
        this.delivered = fromRevision;
        this.started = fromRevision != 0;
    }

    void requestProgress() {
        progressRequested = true;
    }

    /**
     * Called on the store's tick with the store's revision (read once for all watches): reads the log
     * only when there may be something to deliver, so an idle store costs one query a tick, not a
     * transaction per watch.
     */
    void pollIfBehind(long storeRevision) {
        if (closed || started && delivered >= storeRevision && !progressRequested && lastFailure == null) {
            return;
        }
        poll();
    }

    private void poll() {
        if (closed) {
            return;
        }
        try {
            store.read("watch " + prefix, this::deliverChanges);
            lastFailure = null;
        } catch (StorageUnavailableException e) {
            // Polled again on the next tick from the last delivered revision.
        } catch (StorageException e) {
            // A query that failed otherwise (an error PostgreSQL gave while shutting down or starting
            // up that is not classed as unreachable) is also retried: the poll only reads, and ending
            // the watch would make every watcher relist. Only a compacted start ends it.
            if (!e.getMessage().equals(lastFailure)) {
                lastFailure = e.getMessage();
                LOG.warn("Watch on {} will retry after: {}", prefix, e.getMessage());
            }
        } catch (RuntimeException e) {
            fail(new StorageException("watch on " + prefix + " failed: " + e.getMessage(), e));
        }
    }

    private Void deliverChanges(Connection connection) throws SQLException {
        // One snapshot for the current revision and the log, so a progress report never runs ahead of it.
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            long current = PostgresObjectStore.revision(connection);
            if (!started) {
                delivered = current;
                started = true;
            }
            long compacted = PostgresObjectStore.compactedRevision(connection);
            if (delivered + 1 < compacted) {
                fail(new CompactedException(delivered + 1, compacted));
                return null;
            }
            int count = 0;
            try (PreparedStatement select = PostgresObjectStore.prepare(connection, CHANGES, delivered, prefix);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next() && !closed) {
                    count++;
                    WatchEvent event = event(rows);
                    listener.onEvent(event);
                    delivered = event.revision();
                }
            }
            if (count < BATCH && !closed) {
                // Every change to the prefix up to the snapshot's revision is delivered: later ticks need only
                // look past it.
                delivered = Math.max(delivered, current);
                if (progressRequested) {
                    progressRequested = false;
                    listener.onProgress(current);
                }
            }
            return null;
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }

    private static WatchEvent event(ResultSet row) throws SQLException {
        long revision = row.getLong(1);
        String key = row.getString(2);
        byte[] value = row.getBytes(3);
        long createRevision = row.getLong(4);
        byte[] previousValue = row.getBytes(5);
        StoredObject previous = previousValue == null ? null
                : new StoredObject(key, previousValue, row.getLong(6), row.getLong(7));
        if (value == null) {
            return new WatchEvent(WatchEvent.Type.DELETE, key, revision, null, previous);
        }
        return new WatchEvent(WatchEvent.Type.PUT, key, revision, new StoredObject(key, value, revision, createRevision),
                previous);
    }

    private void fail(StorageException error) {
        if (!closed) {
            close();
            listener.onError(error);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.accept(this);
    }
}
