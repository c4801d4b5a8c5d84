package dev.flotilla.controllers.hpa;

import dev.flotilla.controllers.hpa.ScalingBehavior.Timed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the behavior of each HPA looks back on, kept in memory per HPA key as upstream keeps it: past
 * recommendations (for the stabilization windows) and past changes of the scale up and down (for the
 * rate policies). A new leader starts afresh, as upstream's controller does after a restart.
 */
final class AutoscalerHistory {

    private static final class Entry {
        final List<Timed> recommendations = new ArrayList<>();
        final List<Timed> ups = new ArrayList<>();
        final List<Timed> downs = new ArrayList<>();
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The first sync of an HPA records the target's current count, so a window holds from the start. */
    void recordInitial(String key, int replicas, Instant now) {
        entries.computeIfAbsent(key, k -> {
            Entry entry = new Entry();
            entry.recommendations.add(new Timed(now, replicas));
            return entry;
        });
    }

    synchronized List<Timed> recommendations(String key) {
        return List.copyOf(entry(key).recommendations);
    }

    synchronized List<Timed> scaleUps(String key) {
        return List.copyOf(entry(key).ups);
    }

    synchronized List<Timed> scaleDowns(String key) {
        return List.copyOf(entry(key).downs);
    }

    /** Adds a recommendation and forgets those older than the longest window. */
    synchronized void recommend(String key, int replicas, Instant now, Duration longestWindow) {
        List<Timed> list = entry(key).recommendations;
        list.removeIf(r -> !r.time().isAfter(now.minus(longestWindow)));
        list.add(new Timed(now, replicas));
    }

    /** Records a change of the scale and forgets changes older than the longest policy period. */
    synchronized void scaled(String key, int from, int to, Instant now, Duration longestPeriod) {
        Entry entry = entry(key);
        List<Timed> list = to > from ? entry.ups : entry.downs;
        list.removeIf(e -> !e.time().isAfter(now.minus(longestPeriod)));
        list.add(new Timed(now, Math.abs(to - from)));
    }

    void forget(String key) {
        entries.remove(key);
    }

    private Entry entry(String key) {
        return entries.computeIfAbsent(key, k -> new Entry());
    }
}
