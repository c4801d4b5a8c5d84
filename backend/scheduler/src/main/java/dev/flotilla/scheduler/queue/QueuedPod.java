package dev.flotilla.scheduler.queue;

import dev.flotilla.scheduler.cache.PodInfo;

/** A pending pod in the queue with its scheduling history: attempts, last attempt and the cycle it was popped in. */
public final class QueuedPod {

    private volatile PodInfo info;
    final long addedNanos;
    int attempts;
    long lastAttemptNanos;
    long cycle;

    QueuedPod(PodInfo info, long addedNanos) {
        this.info = info;
        this.addedNanos = addedNanos;
    }

    public PodInfo info() {
        return info;
    }

    void setInfo(PodInfo info) {
        this.info = info;
    }

    public String key() {
        return info.key();
    }

    public int attempts() {
        return attempts;
    }

    /** When the pod was first queued, for the scheduling latency metric. */
    public long addedNanos() {
        return addedNanos;
    }
}
