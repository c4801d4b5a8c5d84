package dev.flotilla.controllers.workqueue;

import java.time.Duration;

/** How long an item waits before it is retried (client-go's workqueue.RateLimiter). */
public interface RateLimiter<T> {

    /** The delay before {@code item} may be processed again; counts one more failure. */
    Duration when(T item);

    /** Clears the item's failure history after it succeeded. */
    void forget(T item);

    /** How many times the item has failed in a row. */
    int retries(T item);

    /**
     * Upstream's default controller limiter: per item 5 ms doubling up to 1000 s, and overall 10
     * retries per second with a burst of 100; the longer of the two delays wins.
     */
    static <T> RateLimiter<T> controllerDefault() {
        return new MaxOfRateLimiter<>(
                new ItemExponentialBackoff<>(Duration.ofMillis(5), Duration.ofSeconds(1000)),
                new TokenBucket<>(10, 100));
    }
}
