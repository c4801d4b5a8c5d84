package dev.flotilla.apiserver.metrics;

/**
 * What authentication, authorization and admission cost one request, summed while it is served.
 * A request is served on one worker thread from authentication to its response, so the sum is kept
 * per thread; {@link #begin()} and {@link #end()} bracket the request.
 */
public final class PolicyTime {

    private static final ThreadLocal<long[]> NANOS = new ThreadLocal<>();

    private PolicyTime() {
    }

    static void begin() {
        NANOS.set(new long[1]);
    }

    /** Adds a step's time to the request being served on this thread, if any. */
    static void add(long nanos) {
        long[] sum = NANOS.get();
        if (sum != null) {
            sum[0] += nanos;
        }
    }

    static long end() {
        long[] sum = NANOS.get();
        NANOS.remove();
        return sum == null ? 0 : sum[0];
    }
}
