package dev.flotilla.controllers.replicaset;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Upstream's slowStartBatch: runs {@code count} calls in batches of 1, 2, 4 … in parallel, stopping
 * after the first batch with a failure, so a template the API refuses costs one call, not hundreds.
 */
final class SlowStart {

    /** How many calls succeeded, and the first failure (null when none). */
    record Outcome(int successes, Exception failure) {
    }

    private SlowStart() {
    }

    static Outcome run(ExecutorService executor, int count, int initialBatch, java.util.concurrent.Callable<Void> call)
            throws InterruptedException {
        int successes = 0;
        int remaining = count;
        for (int batch = Math.min(remaining, initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
            List<Future<Void>> calls = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                calls.add(executor.submit(call));
            }
            Exception failure = null;
            for (Future<Void> f : calls) {
                try {
                    f.get();
                    successes++;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof Exception cause ? cause : e;
                    }
                }
            }
            if (failure != null) {
                return new Outcome(successes, failure);
            }
            remaining -= batch;
        }
        return new Outcome(successes, null);
    }
}
