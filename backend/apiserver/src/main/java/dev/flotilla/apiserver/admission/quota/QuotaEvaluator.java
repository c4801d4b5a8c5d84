package dev.flotilla.apiserver.admission.quota;

import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's quota evaluator: creates wait per namespace (per tenant, when the namespace's tenant has
 * an aggregate quota) in a {@link QuotaWorkQueue}; a worker takes all that wait for one key, checks
 * them in order against the records as they are now, each against the usage the earlier ones of the
 * batch left ({@link QuotaCheck}), writes each changed record once for the whole batch, and answers
 * every create. A write that loses its compare-and-swap (another API server charged, the quota
 * controller recounted, someone edited the quota) re-reads that record from etcd and checks the
 * batch's still open creates against it again, up to {@code retries} times; then they get the
 * store's 409 "the object has been modified; please apply your changes to the latest version and try
 * again" as with upstream. A create refused by one record after another already charged it, or one
 * whose caller gave up waiting, is given back at once; a create that fails after admission is given
 * back through the queue ({@link #release}).
 */
@Singleton
public class QuotaEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaEvaluator.class);
    private static final String TENANT_KEY = "tenant/";
    private static final String NAMESPACE_KEY = "namespace/";

    private final QuotaRecords records;
    private final QuotaWrites writes;
    private final QuotaProperties properties;
    private final QuotaWorkQueue<QuotaRequest> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final DistributionSummary batchSizes;
    private final Counter conflicts;

    QuotaEvaluator(QuotaRecords records, QuotaWrites writes, QuotaProperties properties, MeterRegistry registry) {
        this.records = records;
        this.writes = writes;
        this.properties = properties;
        this.batchSizes = DistributionSummary.builder("flotilla.resourcequota.batch.size")
                .description("Creates charged by one quota batch (one status write per record)").register(registry);
        this.conflicts = Counter.builder("flotilla.resourcequota.write.conflicts")
                .description("Quota batch writes that lost their compare-and-swap and were checked again")
                .register(registry);
        this.queue = new QuotaWorkQueue<>(properties.getMaxBatch());
        for (int i = 0; i < properties.getWorkers(); i++) {
            Thread worker = new Thread(this::work, "quota-evaluator-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    /**
     * Charges the object to every record of its namespace and tenant that counts it and answers what
     * was charged.
     *
     * @throws QuotaCheck.Refusal a record refuses it (the caller words it as a 403)
     * @throws ApiError 409 when the records kept changing under the batch, 500 on a timeout
     */
    QuotaCharges charge(String namespace, String tenant, ResourceType type, Object typed, boolean dryRun) {
        return await(keyOf(namespace, tenant), QuotaRequest.charge(namespace, type, typed, dryRun));
    }

    /** Gives back what {@link #charge} charged for an object whose create failed later; best effort. */
    void release(QuotaCharges charges, String tenant) {
        if (!charges.isEmpty()) {
            await(keyOf(charges.namespace(), tenant), QuotaRequest.release(charges));
        }
    }

    private QuotaCharges await(String key, QuotaRequest request) {
        queue.add(key, request);
        try {
            request.future().get(properties.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The worker then sees the answer is taken and gives back what it charges after all.
            if (request.future().completeExceptionally(ApiError.internal("resource quota evaluation timed out"))) {
                LOG.warn("resource quota evaluation for {} timed out after {}", key, properties.getTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.future().completeExceptionally(ApiError.internal("resource quota evaluation interrupted"));
        } catch (ExecutionException e) {
            // answered below
        }
        return answerOf(request);
    }

    /** The answer the request was completed with: its charges, or the refusal or error thrown. */
    private static QuotaCharges answerOf(QuotaRequest request) {
        try {
            return request.future().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw ApiError.internal(String.valueOf(e.getCause()));
        }
    }

    private static String keyOf(String namespace, String tenant) {
        return tenant != null ? TENANT_KEY + tenant : NAMESPACE_KEY + namespace;
    }

    private void work() {
        try {
            while (true) {
                Optional<QuotaWorkQueue.Batch<QuotaRequest>> batch = queue.take();
                if (batch.isEmpty()) {
                    return;
                }
                try {
                    process(batch.get());
                } catch (RuntimeException e) {
                    LOG.warn("quota batch for {} failed: {}", batch.get().key(), e.toString());
                    batch.get().items().forEach(request -> {
                        request.refuse(e);
                        request.answer();
                    });
                } finally {
                    queue.done(batch.get().key());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void process(QuotaWorkQueue.Batch<QuotaRequest> batch) {
        String tenant = batch.key().startsWith(TENANT_KEY) ? batch.key().substring(TENANT_KEY.length()) : null;
        Set<String> namespaces = new LinkedHashSet<>();
        List<QuotaRequest> releases = new ArrayList<>();
        List<QuotaRequest> charges = new ArrayList<>();
        for (QuotaRequest request : batch.items()) {
            if (request.future().isDone()) {
                continue; // its caller gave up before the batch began
            }
            namespaces.add(request.namespace());
            (request.release() != null ? releases : charges).add(request);
        }
        if (!releases.isEmpty()) {
            giveBack(releases.stream().map(QuotaRequest::release).toList(), namespaces, tenant);
            releases.forEach(QuotaRequest::answer);
        }
        if (!charges.isEmpty()) {
            batchSizes.record(charges.size());
            chargeAll(charges, namespaces, tenant);
        }
    }

    /** Checks and charges the batch's creates in order; every one is answered on return. */
    private void chargeAll(List<QuotaRequest> batch, Set<String> namespaces, String tenant) {
        Map<String, QuotaRecord> round = fresher(records.cached(namespaces, tenant));
        ApiError lastConflict = null;
        for (int attempt = 0; attempt <= properties.getRetries() && !round.isEmpty(); attempt++) {
            Map<String, QuotaRecord> lost = chargeOnce(batch, round);
            if (lost.isEmpty()) {
                round = Map.of();
                break;
            }
            conflicts.increment(lost.size());
            QuotaRecord any = lost.values().iterator().next();
            lastConflict = ApiError.objectModified(any.type().group(), any.type().resource(), any.name());
            // Only the records whose write was lost are checked again: the others hold their charges.
            Map<String, QuotaRecord> stored = records.stored(namespaces, tenant);
            stored.keySet().retainAll(lost.keySet());
            round = stored;
        }
        List<QuotaCharges> toGiveBack = new ArrayList<>();
        for (QuotaRequest request : batch) {
            if (request.open() && request.unwritten()) {
                request.refuse(lastConflict);
            }
            boolean refused = request.refusal() != null;
            if ((!request.answer() || refused) && !request.charges().isEmpty()) {
                toGiveBack.add(request.charges());
            }
        }
        if (!toGiveBack.isEmpty()) {
            giveBack(toGiveBack, namespaces, tenant);
        }
    }

    /**
     * One round: every open create checked against {@code round} with the charges of the creates
     * before it, then each changed record written once. Answers the records whose write was lost.
     */
    private Map<String, QuotaRecord> chargeOnce(List<QuotaRequest> batch, Map<String, QuotaRecord> round) {
        Map<String, Map<String, Quantity>> used = new LinkedHashMap<>();
        Map<String, List<QuotaRequest>> chargedBy = new LinkedHashMap<>();
        for (QuotaRequest request : batch) {
            if (!request.open()) {
                continue;
            }
            Map<String, Map<String, Quantity>> mine = new LinkedHashMap<>();
            try {
                for (QuotaRecord record : round.values()) {
                    if (!records.appliesTo(record, request.namespace())) {
                        continue;
                    }
                    ResourceQuota quota = withUsed(record, used.get(record.key()));
                    Optional<Map<String, Quantity>> after = QuotaCheck.charge(quota, request.type().group(),
                            request.type().resource(), request.typed());
                    if (after.isPresent() && !request.dryRun()) {
                        mine.put(record.key(), after.get());
                    }
                }
            } catch (QuotaCheck.Refusal refusal) {
                request.refuse(refusal);
                continue;
            }
            request.planned(mine.keySet());
            mine.forEach((key, after) -> {
                used.put(key, after);
                chargedBy.computeIfAbsent(key, k -> new ArrayList<>()).add(request);
            });
        }
        Map<String, QuotaRecord> lost = new LinkedHashMap<>();
        used.forEach((key, after) -> {
            QuotaRecord record = round.get(key);
            Optional<QuotaRecord> written = writes.write(record, after);
            if (written.isPresent()) {
                chargedBy.get(key).forEach(request -> request.charged(key, written.get().revision()));
            } else {
                lost.put(key, record);
            }
        });
        return lost;
    }

    /**
     * Gives charges back, one write per record, where {@link QuotaWrites#releasable} allows; a charge
     * a recount may already have dropped stays until the quota controller's next recount (counted
     * more than is used for a while, never less).
     */
    private void giveBack(Collection<QuotaCharges> charges, Set<String> namespaces, String tenant) {
        Map<String, QuotaRecord> round = fresher(records.cached(namespaces, tenant));
        for (int attempt = 0; attempt <= properties.getRetries() && !round.isEmpty(); attempt++) {
            Map<String, QuotaRecord> lost = new LinkedHashMap<>();
            for (QuotaRecord record : round.values()) {
                ResourceQuota quota = record.quota();
                boolean changed = false;
                for (QuotaCharges charge : charges) {
                    Long chargedAt = charge.revisions().get(record.key());
                    if (chargedAt == null || !writes.releasable(record, chargedAt)) {
                        continue;
                    }
                    Optional<Map<String, Quantity>> after = QuotaCheck.release(quota, charge.type().group(),
                            charge.type().resource(), charge.typed());
                    if (after.isPresent()) {
                        quota.getStatus().setUsed(after.get());
                        changed = true;
                    }
                }
                if (changed && writes.write(record, quota.getStatus().getUsed()).isEmpty()) {
                    lost.put(record.key(), record);
                }
            }
            Map<String, QuotaRecord> stored = lost.isEmpty() ? Map.of() : records.stored(namespaces, tenant);
            stored.keySet().retainAll(lost.keySet());
            round = stored;
        }
    }

    private Map<String, QuotaRecord> fresher(Map<String, QuotaRecord> read) {
        read.replaceAll((key, record) -> writes.freshest(record));
        return read;
    }

    /** The record as a typed quota, with the usage the batch's earlier creates left when there is one. */
    private static ResourceQuota withUsed(QuotaRecord record, Map<String, Quantity> used) {
        ResourceQuota quota = record.quota();
        if (used != null) {
            quota.getStatus().setUsed(used);
        }
        return quota;
    }

    /** Waiting creates of a namespace or tenant key, for tests. */
    int waiting(String namespace, String tenant) {
        return queue.waitingFor(keyOf(namespace, tenant));
    }

    @PreDestroy
    void stop() {
        queue.close();
        workers.forEach(Thread::interrupt);
    }
}
