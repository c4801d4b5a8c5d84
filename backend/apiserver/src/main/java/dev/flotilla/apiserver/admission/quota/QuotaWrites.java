package dev.flotilla.apiserver.admission.quota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.resource.ResourceStore;
import io.fabric8.kubernetes.api.model.Quantity;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a record's {@code status.used} by compare-and-swap and remembers which of a record's
 * revisions are this server's own charges: per record, the latest revision admission wrote and
 * where the unbroken run of its own writes began (a write on top of anybody else's revision, the
 * quota controller's recount or another API server's charge, starts a new run). A charge may be
 * given back ({@link #releasable}) only while the record is still at admission's latest write and
 * the charge lies in that run: then no recount can have dropped the never-stored object already, so
 * subtracting it cannot count less than is used. Also keeps the latest written copy, which is fresher
 * than the watch cache right after a write.
 */
@Singleton
class QuotaWrites {

    /** {@code runStart} ≤ every revision of the run ≤ {@code latest}; all of them admission's own writes. */
    private record Run(long runStart, QuotaRecord latest) {
    }

    private final ResourceStore store;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    QuotaWrites(ResourceStore store) {
        this.store = store;
    }

    /**
     * The record as written with {@code used}; empty when another write came first (the swap was
     * lost). A record deleted meanwhile counts as written unchanged: there is nothing left to charge.
     *
     * @throws ApiError the store's error other than a lost swap or a missing record
     */
    Optional<QuotaRecord> write(QuotaRecord record, Map<String, Quantity> used) {
        ObjectNode object = record.object().deepCopy();
        object.with("status").set("used", Json.mapper().valueToTree(used));
        try {
            ObjectNode written = store.update(record.type(), record.namespace(), record.name(), object,
                    record.revision());
            QuotaRecord result = new QuotaRecord(record.type(), record.namespace(), record.displayName(), written);
            runs.compute(record.key(), (key, run) -> run != null && run.latest().revision() == record.revision()
                    ? new Run(run.runStart(), result) : new Run(result.revision(), result));
            return Optional.of(result);
        } catch (ApiError e) {
            if (e.isObjectModified()) {
                return Optional.empty();
            }
            if (e.code() == 404) {
                runs.remove(record.key());
                return Optional.of(record);
            }
            throw e;
        }
    }

    /** Whether a charge admission wrote at {@code chargedAt} may be subtracted from {@code current}. */
    boolean releasable(QuotaRecord current, long chargedAt) {
        Run run = runs.get(current.key());
        return run != null && run.latest().revision() == current.revision() && run.runStart() <= chargedAt;
    }

    /** {@code read}, or this server's own later write of it when the read lags behind that. */
    QuotaRecord freshest(QuotaRecord read) {
        Run run = runs.get(read.key());
        return run != null && run.latest().revision() > read.revision() ? run.latest() : read;
    }
}
