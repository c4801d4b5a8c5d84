package dev.flotilla.apiserver.admission.quota;

import dev.flotilla.api.resource.ResourceType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One create waiting in the evaluator's queue (or the release of one that failed after admission):
 * what is charged, where, and the answer. The answer of a charge is the revisions of the writes that
 * charged it per record key ({@link QuotaCharges}); a refusal completes it with a {@link QuotaCheck.Refusal}.
 */
final class QuotaRequest {

    private final String namespace;
    private final ResourceType type;
    private final Object typed;
    private final boolean dryRun;
    private final QuotaCharges release;
    private final Map<String, Long> charged = new LinkedHashMap<>();
    private final Set<String> unwritten = new HashSet<>();
    private final CompletableFuture<QuotaCharges> answer = new CompletableFuture<>();
    private RuntimeException refusal;

    private QuotaRequest(String namespace, ResourceType type, Object typed, boolean dryRun, QuotaCharges release) {
        this.namespace = namespace;
        this.type = type;
        this.typed = typed;
        this.dryRun = dryRun;
        this.release = release;
    }

    static QuotaRequest charge(String namespace, ResourceType type, Object typed, boolean dryRun) {
        return new QuotaRequest(namespace, type, typed, dryRun, null);
    }

    static QuotaRequest release(QuotaCharges charges) {
        return new QuotaRequest(charges.namespace(), charges.type(), charges.typed(), false, charges);
    }

    String namespace() {
        return namespace;
    }

    ResourceType type() {
        return type;
    }

    Object typed() {
        return typed;
    }

    boolean dryRun() {
        return dryRun;
    }

    /** The charges to give back, when this is a release; null for a charge. */
    QuotaCharges release() {
        return release;
    }

    /** Still to be decided: neither refused nor answered (nor given up on by its caller). */
    boolean open() {
        return refusal == null && !answer.isDone();
    }

    /** This round charges the request to these records; each stays unwritten until {@link #charged}. */
    void planned(Set<String> recordKeys) {
        unwritten.clear();
        unwritten.addAll(recordKeys);
    }

    void charged(String recordKey, long revision) {
        charged.put(recordKey, revision);
        unwritten.remove(recordKey);
    }

    /** Whether a charge of the last round was not written (its record's compare-and-swap was lost). */
    boolean unwritten() {
        return !unwritten.isEmpty();
    }

    /** What was charged and written so far, to give back when the request fails after all. */
    QuotaCharges charges() {
        return new QuotaCharges(namespace, type, typed, Map.copyOf(charged));
    }

    void refuse(RuntimeException why) {
        if (refusal == null) {
            refusal = why;
        }
    }

    RuntimeException refusal() {
        return refusal;
    }

    /** Answers the caller; false when it gave up waiting already (its charges must then be given back). */
    boolean answer() {
        return refusal != null ? answer.completeExceptionally(refusal) : answer.complete(charges());
    }

    CompletableFuture<QuotaCharges> future() {
        return answer;
    }
}
