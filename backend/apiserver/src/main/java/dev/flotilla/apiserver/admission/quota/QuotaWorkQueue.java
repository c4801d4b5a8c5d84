package dev.flotilla.apiserver.admission.quota;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's quota admission queue: work waits per key (a namespace, or a tenant whose namespaces
 * share one aggregate quota); a worker takes everything waiting for one key at once (at most
 * {@code maxBatch}), and no other worker gets that key until the first is {@link #done}, so one key's
 * usage is only ever charged by one worker at a time. Work added meanwhile forms the next batch.
 */
final class QuotaWorkQueue<T> {

    /** What one worker charges in one go, oldest first. */
    record Batch<T>(String key, List<T> items) {
    }

    private final int maxBatch;
    private final Map<String, List<T>> waiting = new HashMap<>();
    private final Set<String> ready = new LinkedHashSet<>();
    private final Set<String> inProgress = new HashSet<>();
    private boolean closed;

    QuotaWorkQueue(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    synchronized void add(String key, T item) {
        if (closed) {
            throw new IllegalStateException("quota work queue closed");
        }
        waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
        if (!inProgress.contains(key) && ready.add(key)) {
            notify();
        }
    }

    /** The next batch, blocking until there is one; empty once closed. */
    synchronized Optional<Batch<T>> take() throws InterruptedException {
        while (ready.isEmpty() && !closed) {
            wait();
        }
        if (closed) {
            return Optional.empty();
        }
        Iterator<String> first = ready.iterator();
        String key = first.next();
        first.remove();
        inProgress.add(key);
        List<T> all = waiting.get(key);
        List<T> batch;
        if (all.size() <= maxBatch) {
            batch = all;
            waiting.remove(key);
        } else {
            batch = new ArrayList<>(all.subList(0, maxBatch));
            all.subList(0, maxBatch).clear();
        }
        return Optional.of(new Batch<>(key, batch));
    }

    /** The worker finished the key's batch: what waits for it meanwhile becomes ready. */
    synchronized void done(String key) {
        inProgress.remove(key);
        if (waiting.containsKey(key) && ready.add(key)) {
            notify();
        }
    }

    synchronized int waitingFor(String key) {
        List<T> items = waiting.get(key);
        return items == null ? 0 : items.size();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
