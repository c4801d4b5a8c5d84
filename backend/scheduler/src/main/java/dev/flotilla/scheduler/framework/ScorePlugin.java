package dev.flotilla.scheduler.framework;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;

/** Ranks a feasible node for a pod, 0 to {@link #MAX_SCORE} after {@link #normalize}. */
public interface ScorePlugin {

    long MAX_SCORE = 100;

    String name();

    long score(CycleState state, PodInfo pod, NodeInfo node);

    /** Scales raw scores of all feasible nodes into 0..MAX_SCORE; scores already in range need nothing. */
    default void normalize(long[] scores) {
    }

    /**
     * Upstream's default normalization: scores scaled so the highest becomes MAX_SCORE, or reversed
     * (the highest raw score becomes 0) for plugins that count bad things.
     */
    static void scaleToMax(long[] scores, boolean reverse) {
        long max = 0;
        for (long score : scores) {
            max = Math.max(max, score);
        }
        for (int i = 0; i < scores.length; i++) {
            if (max == 0) {
                scores[i] = reverse ? MAX_SCORE : 0;
            } else {
                long scaled = MAX_SCORE * scores[i] / max;
                scores[i] = reverse ? MAX_SCORE - scaled : scaled;
            }
        }
    }
}
