package dev.flotilla.controllers.workqueue;

import java.time.Duration;

/**
 * An overall limit on retries, whatever the item: {@code perSecond} tokens a second, up to
 * {@code burst} saved. Each call reserves a token and answers how long until it is due.
 */
public final class TokenBucket<T> implements RateLimiter<T> {

    private final double perSecond;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    public TokenBucket(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
    }

    @Override
    public synchronized Duration when(T item) {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
        last = now;
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / perSecond * 1e9));
    }

    @Override
    public void forget(T item) {
    }

    @Override
    public int retries(T item) {
        return 0;
    }
}
