package dev.flotilla.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline, polling; never a blind sleep. */
public final class Await {

    private Await() {
    }

    /** Polls {@code condition} every 50 ms until it holds; fails with {@code what} after {@code timeout}. */
    public static Duration until(Duration timeout, String what, BooleanSupplier condition) {
        return until(timeout, () -> what, condition);
    }

    /** As {@link #until(Duration, String, BooleanSupplier)}, with {@code what} read at the timeout (to show state). */
    public static Duration until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (RuntimeException e) {
                last = e;
            }
            pause(50);
        }
        AssertionError error = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
        if (last != null) {
            error.initCause(last);
        }
        throw error;
    }

    /** Like {@link #until} but returns the first non-null value {@code probe} produces. */
    public static <T> T value(Duration timeout, String what, Supplier<T> probe) {
        Object[] holder = new Object[1];
        until(timeout, what, () -> (holder[0] = probe.get()) != null);
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
