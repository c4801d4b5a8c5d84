package dev.flotilla.controllers.replicaset;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's UIDTrackingControllerExpectations: the creations and deletions a controller has asked
 * for and not yet seen in its informer. While any are outstanding the controller does not act on its
 * (stale) cache again, so a burst of events never creates or deletes twice. Deletions are tracked by
 * pod key, so a pod seen both terminating and deleted counts once. Expectations older than five
 * minutes are given up, as upstream, in case an event was lost.
 */
public final class Expectations {

    static final Duration TTL = Duration.ofMinutes(5);

    private static final class Pending {
        int adds;
        final Set<String> deletes = new HashSet<>();
        final long since = System.nanoTime();
    }

    private final Map<String, Pending> pending = new HashMap<>();

    public synchronized boolean satisfied(String controllerKey) {
        Pending p = pending.get(controllerKey);
        return p == null || p.adds <= 0 && p.deletes.isEmpty() || System.nanoTime() - p.since > TTL.toNanos();
    }

    public synchronized void expectCreations(String controllerKey, int count) {
        Pending p = new Pending();
        p.adds = count;
        pending.put(controllerKey, p);
    }

    public synchronized void expectDeletions(String controllerKey, Collection<String> podKeys) {
        Pending p = new Pending();
        p.deletes.addAll(podKeys);
        pending.put(controllerKey, p);
    }

    /** Creations and deletions asked for in one sync (a DaemonSet's surge creates on some nodes and deletes on others). */
    public synchronized void expect(String controllerKey, int creations, Collection<String> deletedPodKeys) {
        Pending p = new Pending();
        p.adds = creations;
        p.deletes.addAll(deletedPodKeys);
        pending.put(controllerKey, p);
    }

    public synchronized void creationObserved(String controllerKey) {
        Pending p = pending.get(controllerKey);
        if (p != null) {
            p.adds--;
        }
    }

    public synchronized void deletionObserved(String controllerKey, String podKey) {
        Pending p = pending.get(controllerKey);
        if (p != null) {
            p.deletes.remove(podKey);
        }
    }

    public synchronized void forget(String controllerKey) {
        pending.remove(controllerKey);
    }
}
