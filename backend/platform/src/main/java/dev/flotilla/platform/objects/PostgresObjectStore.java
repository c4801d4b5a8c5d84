package dev.flotilla.platform.objects;

import dev.flotilla.platform.db.PlatformDataSource;
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
import dev.flotilla.storage.etcd.Arguments;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ObjectStore} contract on PostgreSQL (tables of migration V3): one revision counter for
 * the whole store, compare-and-swap writes, reads and lists at old revisions from a write log, and
 * watches that poll that log. Every write first locks the counter row, so writes commit in revision
 * order: a watcher that has delivered revision R can never later find a write below R.
 *
 * <p>Not a bean: the API server routes only the resources kept in PostgreSQL here, next to the etcd
 * store that holds everything else.
 */
public class PostgresObjectStore implements ObjectStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresObjectStore.class);
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);
    private static final int QUERY_TIMEOUT_SECONDS = 10;

    private final PlatformDataSource database;
    private final String describe;
    private final Duration pollInterval;
    private final ScheduledExecutorService watchThread;
    private final Set<PostgresWatch> watches = ConcurrentHashMap.newKeySet();
    private boolean ticking; // guarded by this

    public PostgresObjectStore(PlatformDataSource database, String describe) {
        this(database, describe, DEFAULT_POLL_INTERVAL);
    }

    public PostgresObjectStore(PlatformDataSource database, String describe, Duration pollInterval) {
        this.database = database;
        this.describe = describe;
        this.pollInterval = pollInterval;
        this.watchThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "postgres-object-store-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public StoredObject create(String key, byte[] value) {
        Arguments.key(key);
        Arguments.value(key, value);
        return write("create " + key, connection -> {
            lockRevision(connection);
            Optional<StoredObject> existing = current(connection, key);
            if (existing.isPresent()) {
                throw new KeyExistsException(existing.get());
            }
            long revision = nextRevision(connection);
            execute(connection, "INSERT INTO platform_objects (key, value, mod_revision, create_revision) VALUES (?, ?, ?, ?)",
                    key, value, revision, revision);
            log(connection, revision, key, value, revision);
            return new StoredObject(key, value, revision, revision);
        });
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return get(key, 0);
    }

    @Override
    public Optional<StoredObject> get(String key, long atRevision) {
        Arguments.key(key);
        Arguments.revision("atRevision", atRevision);
        return read("get " + key, connection -> {
            if (atRevision == 0) {
                return current(connection, key);
            }
            checkReadable(connection, atRevision);
            try (PreparedStatement select = prepare(connection,
                    "SELECT value, revision, create_revision FROM platform_object_log WHERE key = ? AND revision <= ?"
                            + " ORDER BY revision DESC LIMIT 1", key, atRevision);
                    ResultSet row = select.executeQuery()) {
                if (!row.next() || row.getBytes(1) == null) {
                    return Optional.empty();
                }
                return Optional.of(new StoredObject(key, row.getBytes(1), row.getLong(2), row.getLong(3)));
            }
        });
    }

    @Override
    public StoredObject update(String key, byte[] value, long expectedModRevision) {
        Arguments.key(key);
        Arguments.value(key, value);
        Arguments.revision("expectedModRevision", expectedModRevision);
        return write("update " + key, connection -> {
            StoredObject stored = expect(connection, key, expectedModRevision);
            long revision = nextRevision(connection);
            execute(connection, "UPDATE platform_objects SET value = ?, mod_revision = ? WHERE key = ?", value, revision, key);
            log(connection, revision, key, value, stored.createRevision());
            return new StoredObject(key, value, revision, stored.createRevision());
        });
    }

    @Override
    public DeletedObject delete(String key, long expectedModRevision) {
        Arguments.key(key);
        Arguments.revision("expectedModRevision", expectedModRevision);
        return write("delete " + key, connection -> {
            StoredObject stored = expect(connection, key, expectedModRevision);
            long revision = nextRevision(connection);
            execute(connection, "DELETE FROM platform_objects WHERE key = ?", key);
            log(connection, revision, key, null, stored.createRevision());
            return new DeletedObject(stored, revision);
        });
    }

    @Override
    public ListResult list(String prefix, long atRevision, int limit, String startAfterKey) {
        Arguments.prefix(prefix);
        Arguments.revision("atRevision", atRevision);
        Arguments.limit(limit);
        Arguments.startAfter(prefix, startAfterKey);
        return read("list " + prefix, connection -> {
            long revision = atRevision == 0 ? revision(connection) : atRevision;
            checkReadable(connection, revision);
            List<StoredObject> items = new ArrayList<>();
            long total = 0;
            // The latest logged state of each key at the revision; deleted keys drop out.
            String sql = "SELECT key, value, revision, create_revision FROM ("
                    + " SELECT DISTINCT ON (key) key, value, revision, create_revision FROM platform_object_log"
                    + " WHERE starts_with(key, ?) AND key > ? AND revision <= ? ORDER BY key, revision DESC) latest"
                    + " WHERE value IS NOT NULL ORDER BY key";
            try (PreparedStatement select = prepare(connection, sql, prefix, startAfterKey == null ? "" : startAfterKey,
                    revision); ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    total++;
                    if (limit == 0 || items.size() < limit) {
                        items.add(new StoredObject(rows.getString(1), rows.getBytes(2), rows.getLong(3), rows.getLong(4)));
                    }
                }
            }
            long remaining = total - items.size();
            return new ListResult(items, revision, remaining > 0, remaining);
        });
    }

    @Override
    public long currentRevision() {
        return read("read the current revision", PostgresObjectStore::revision);
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        Arguments.prefix(prefix);
        Arguments.revision("fromRevision", fromRevision);
        Arguments.notNull("listener", listener);
        PostgresWatch watch = new PostgresWatch(this, prefix, startRevision(fromRevision), listener, watches::remove);
        watches.add(watch);
        startTicking();
        return watch;
    }

    private synchronized void startTicking() {
        if (!ticking) {
            ticking = true;
            watchThread.scheduleWithFixedDelay(this::tick, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One revision read for all watches; each reads the log only when the store has moved past what it saw. */
    private void tick() {
        if (watches.isEmpty()) {
            return;
        }
        long revision;
        try {
            revision = currentRevision();
        } catch (StorageException e) {
            return; // unreachable or failing: every watch resumes from where it stopped on a later tick
        } catch (RuntimeException e) {
            LOG.warn("watch tick failed: {}", e.toString());
            return;
        }
        for (PostgresWatch watch : watches) {
            watch.pollIfBehind(revision);
        }
    }

    /** "From now" means the revision at this call; while PostgreSQL is down, the watch's first poll (0). */
    private long startRevision(long fromRevision) {
        if (fromRevision != 0) {
            return fromRevision;
        }
        try {
            return currentRevision();
        } catch (StorageUnavailableException e) {
            return 0;
        }
    }

    @Override
    public void requestWatchProgress() {
        watches.forEach(PostgresWatch::requestProgress);
    }

    /**
     * Discards log rows that no read at {@code revision} or later needs: states superseded by a
     * later write at or below it, and deletions at or below it.
     */
    @Override
    public void compact(long revision) {
        Arguments.revision("revision", revision);
        write("compact to " + revision, connection -> {
            long current = lockRevision(connection);
            if (revision > current) {
                throw new StorageException("revision " + revision + " is newer than the store's current revision ("
                        + current + ")");
            }
            execute(connection, "UPDATE platform_revision SET compacted_revision = GREATEST(compacted_revision, ?)", revision);
            execute(connection, "DELETE FROM platform_object_log old WHERE old.revision < ? AND EXISTS ("
                    + " SELECT 1 FROM platform_object_log newer WHERE newer.key = old.key AND newer.revision > old.revision"
                    + " AND newer.revision <= ?)", revision, revision);
            execute(connection, "DELETE FROM platform_object_log WHERE revision < ? AND value IS NULL", revision);
            return null;
        });
    }

    @Override
    public void close() {
        watches.forEach(PostgresWatch::close);
        watchThread.shutdownNow();
    }

    /** Runs a query on its own connection; a failure to reach PostgreSQL is {@code StorageUnavailableException}. */
    <T> T read(String operation, SqlWork<T> work) {
        try (Connection connection = database.connection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw PostgresFailures.translate(e, describe, operation);
        }
    }

    private <T> T write(String operation, SqlWork<T> work) {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate(e, describe, operation);
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
                statement.setNull(i + 1, Types.BINARY);
            } else {
                statement.setObject(i + 1, parameters[i]);
            }
        }
        return statement;
    }

    static long revision(Connection connection) throws SQLException {
        return single(connection, "SELECT revision FROM platform_revision");
    }

    static long compactedRevision(Connection connection) throws SQLException {
        return single(connection, "SELECT compacted_revision FROM platform_revision");
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = prepare(connection, sql); ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void checkReadable(Connection connection, long atRevision) throws SQLException {
        long compacted = compactedRevision(connection);
        if (atRevision < compacted) {
            throw new CompactedException(atRevision, compacted);
        }
        long current = revision(connection);
        if (atRevision > current) {
            throw new StorageException("revision " + atRevision + " is newer than the store's current revision ("
                    + current + ")");
        }
    }

    private static Optional<StoredObject> current(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = prepare(connection,
                "SELECT value, mod_revision, create_revision FROM platform_objects WHERE key = ?", key);
                ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(new StoredObject(key, row.getBytes(1), row.getLong(2), row.getLong(3)));
        }
    }

    /** The stored object, after taking the write lock, if it is at the expected revision. */
    private static StoredObject expect(Connection connection, String key, long expectedModRevision) throws SQLException {
        lockRevision(connection);
        StoredObject stored = current(connection, key).orElseThrow(() -> new NotFoundException(key));
        if (expectedModRevision != 0 && stored.modRevision() != expectedModRevision) {
            throw new ConflictException(expectedModRevision, stored);
        }
        return stored;
    }

    private static long lockRevision(Connection connection) throws SQLException {
        return single(connection, "SELECT revision FROM platform_revision FOR UPDATE");
    }

    private static long nextRevision(Connection connection) throws SQLException {
        lockRevision(connection);
        return single(connection, "UPDATE platform_revision SET revision = revision + 1 RETURNING revision");
    }

    private static void log(Connection connection, long revision, String key, byte[] value, long createRevision)
            throws SQLException {
        execute(connection, "INSERT INTO platform_object_log (revision, key, value, create_revision) VALUES (?, ?, ?, ?)",
                revision, key, value, createRevision);
    }

    private static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is gone; PostgreSQL drops the transaction with it.
        }
    }
}
