package dev.flotilla.apiserver.audit;

import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.platform.audit.AuditEvent;
import dev.flotilla.platform.audit.AuditEventStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit backend, shaped like upstream's buffered one: a request only offers its event to a
 * bounded buffer (when the buffer is full the event is appended to the spool instead, never
 * dropped); one writer thread takes batches from the buffer, adds each event's tenant and inserts
 * them into PostgreSQL. While PostgreSQL cannot take them, batches go to the {@link AuditSpool} and
 * are replayed, oldest first, once it can; while a spool waits, new batches queue behind it there.
 * On shutdown whatever is still buffered goes to the spool, for the next start to store. The same
 * thread deletes events older than the retention period.
 */
@Singleton
public class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final long POLL_MILLIS = 200;
    private static final long STOP_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(30);

    private final AuditEventStore store;
    private final NamespaceTenants tenants;
    private final AuditProperties properties;
    private final AuditSpool spool;
    private final BlockingQueue<AuditEvent> buffer;
    private final Thread writer;
    private volatile boolean stopping;
    private long nextReplay;
    private long nextRetention;
    private boolean outageLogged;

    public AuditLog(AuditEventStore store, NamespaceTenants tenants, AuditProperties properties,
            ApiServerProperties server) {
        this.store = store;
        this.tenants = tenants;
        this.properties = properties;
        this.spool = properties.isEnabled() ? new AuditSpool(server.getStateDir().resolve("audit")) : null;
        this.buffer = new ArrayBlockingQueue<>(Math.max(1, properties.getBufferSize()));
        this.writer = new Thread(this::run, "audit-writer");
        writer.setDaemon(true);
        if (properties.isEnabled()) {
            writer.start();
        }
    }

    /** An audit log that records nothing (for tests of other parts of the request path). */
    public static AuditLog disabled() {
        AuditProperties off = new AuditProperties();
        off.setEnabled(false);
        return new AuditLog(null, null, off, new ApiServerProperties());
    }

    public boolean enabled() {
        return properties.isEnabled();
    }

    /** Takes the event without waiting for the database; called on the request's thread. */
    public void record(AuditEvent event) {
        if (!properties.isEnabled()) {
            return;
        }
        if (stopping || !buffer.offer(event)) {
            spool.append(List.of(event));
        }
    }

    private void run() {
        List<AuditEvent> batch = new ArrayList<>();
        while (!stopping) {
            try {
                AuditEvent first = buffer.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    buffer.drainTo(batch, properties.getBatchSize() - 1);
                }
                replayIfDue();
                if (!batch.isEmpty()) {
                    write(withTenants(batch));
                    batch.clear();
                }
                deleteExpiredIfDue();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                LOG.error("audit writer: {}", e.toString(), e);
                spool.append(batch);
                batch.clear();
            }
        }
        spool.append(batch);
    }

    private void write(List<AuditEvent> batch) {
        if (spool.pending()) {
            spool.append(batch);
            return;
        }
        try {
            store.insert(batch);
        } catch (Exception e) {
            spoolDuringOutage(batch, e);
        }
    }

    private void spoolDuringOutage(List<AuditEvent> batch, Exception cause) {
        spool.append(batch);
        nextReplay = System.nanoTime() + properties.getRetryInterval().toNanos();
        if (!outageLogged) {
            LOG.warn("audit events spool to {} until PostgreSQL takes them again: {}", spool.file(), cause.toString());
            outageLogged = true;
        }
    }

    private void replayIfDue() {
        if (!spool.pending() || System.nanoTime() - nextReplay < 0) {
            return;
        }
        try {
            spool.replay(store::insert, properties.getBatchSize());
            if (outageLogged) {
                LOG.info("audit spool replayed; events go to PostgreSQL again");
                outageLogged = false;
            }
        } catch (Exception e) {
            nextReplay = System.nanoTime() + properties.getRetryInterval().toNanos();
        }
    }

    private void deleteExpiredIfDue() {
        if (System.nanoTime() - nextRetention < 0) {
            return;
        }
        nextRetention = System.nanoTime() + properties.getRetentionInterval().toNanos();
        try {
            int deleted = store.deleteBefore(Instant.now().minus(properties.getRetention()));
            if (deleted > 0) {
                LOG.info("deleted {} audit event(s) older than {}", deleted, properties.getRetention());
            }
        } catch (Exception e) {
            nextRetention = System.nanoTime() + properties.getRetryInterval().toNanos();
        }
    }

    /** The batch with each event's tenant, from its namespace's label as the namespace is now. */
    private List<AuditEvent> withTenants(List<AuditEvent> batch) {
        Map<String, String> byNamespace = new HashMap<>();
        List<AuditEvent> out = new ArrayList<>(batch.size());
        for (AuditEvent event : batch) {
            String tenant = event.namespace().isEmpty() ? "" : byNamespace.computeIfAbsent(event.namespace(),
                    this::tenantOrNone);
            out.add(event.tenant().isEmpty() && !tenant.isEmpty() ? event.withTenant(tenant) : event);
        }
        return out;
    }

    private String tenantOrNone(String namespace) {
        try {
            return tenants.tenantOf(namespace);
        } catch (RuntimeException etcdUnavailable) {
            return "";
        }
    }

    @PreDestroy
    public void stop() {
        if (!properties.isEnabled()) {
            return;
        }
        // Not interrupted: an interrupted insert would leave its batch neither stored nor spooled.
        // The writer sees the flag within one poll, after at most one insert's connection timeout.
        stopping = true;
        try {
            writer.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<AuditEvent> rest = new ArrayList<>();
        buffer.drainTo(rest);
        spool.append(rest);
    }
}
