package dev.flotilla.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/** The load generators of the benchmarks: a closed loop of busy clients and an open loop at a fixed rate. */
final class LoadLoops {

    /** One measured phase; latencies in milliseconds. */
    record Result(String name, int clients, double perSecond, double p50, double p99) {
    }

    private LoadLoops() {
    }

    /** {@code clients} threads each running {@code operation} back to back: a warm-up, then the measured phase. */
    static Result closedLoop(String name, IntPredicate operation, int clients, long warmupSeconds, long seconds)
            throws InterruptedException {
        run(operation, clients, warmupSeconds, new Latencies());
        Latencies latencies = new Latencies();
        long ok = run(operation, clients, seconds, latencies);
        return new Result(name, clients, ok / (double) seconds, latencies.percentile(50), latencies.percentile(99));
    }

    private static long run(IntPredicate operation, int clients, long seconds, Latencies latencies)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong ok = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (int t = 0; t < clients; t++) {
            int thread = t;
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    if (operation.test(thread)) {
                        ok.incrementAndGet();
                        latencies.add(System.nanoTime() - start);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60, TimeUnit.SECONDS);
        return ok.get();
    }

    /**
     * Starts operations at a fixed rate on a pool of {@code clients} workers, whatever the latency,
     * and measures each from the moment it was due, so queueing shows up in the percentiles (no
     * coordinated omission). A fixed-rate task alone would never overlap itself: one client at a time.
     * The operation gets the sequence number of the request.
     */
    static Result openLoop(String name, IntPredicate operation, double perSecond, int clients, long seconds)
            throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(clients);
        Latencies latencies = new Latencies();
        AtomicLong ok = new AtomicLong();
        long intervalNanos = (long) (1e9 / perSecond);
        long begin = System.nanoTime();
        long end = begin + TimeUnit.SECONDS.toNanos(seconds);
        AtomicInteger next = new AtomicInteger();
        for (long due = begin; due < end; due += intervalNanos) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long scheduled = due;
            int sequence = next.getAndIncrement();
            workers.execute(() -> {
                if (operation.test(sequence)) {
                    ok.incrementAndGet();
                    latencies.add(System.nanoTime() - scheduled);
                }
            });
        }
        workers.shutdown();
        workers.awaitTermination(60, TimeUnit.SECONDS);
        return new Result(name, clients, ok.get() / (double) seconds, latencies.percentile(50), latencies.percentile(99));
    }

    private static final class Latencies {
        private final List<Long> nanos = new ArrayList<>();

        synchronized void add(long value) {
            nanos.add(value);
        }

        synchronized double percentile(int p) {
            if (nanos.isEmpty()) {
                return Double.NaN;
            }
            long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
        }
    }
}
