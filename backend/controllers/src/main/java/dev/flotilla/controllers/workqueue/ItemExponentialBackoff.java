package dev.flotilla.controllers.workqueue;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Per item: {@code base * 2^failures}, capped at {@code max}. */
public final class ItemExponentialBackoff<T> implements RateLimiter<T> {

    private final Duration base;
    private final Duration max;
    private final ConcurrentMap<T, Integer> failures = new ConcurrentHashMap<>();

    public ItemExponentialBackoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    @Override
    public Duration when(T item) {
        int previous = failures.merge(item, 1, Integer::sum) - 1;
        if (previous >= 62) {
            return max;
        }
        double nanos = base.toNanos() * Math.pow(2, previous);
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }

    @Override
    public void forget(T item) {
        failures.remove(item);
    }

    @Override
    public int retries(T item) {
        return failures.getOrDefault(item, 0);
    }
}
