package dev.flotilla.apiserver.crd.cel;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;

/**
 * The runtime cost of one rule evaluation, counted as the evaluator visits expressions (one per
 * expression, plus the size of every string, list or map an expression yields, so work on big
 * values costs more). Going over the per-call limit or the object's deadline (checked every 1,024
 * expressions), or over what is left of the object's budget, stops the evaluation at once.
 */
final class RuleCost implements CelEvaluationListener {

    /** Thrown from inside the evaluation when the limit is reached. */
    static final class LimitExceeded extends RuntimeException {
        private final boolean perCall;

        LimitExceeded(boolean perCall) {
            super("operation cancelled: actual cost limit exceeded", null, false, false);
            this.perCall = perCall;
        }

        boolean perCall() {
            return perCall;
        }
    }

    private final long perCallLimit;
    private final long remainingBudget;
    private final long deadline;
    private long cost;
    private long calls;

    /** {@code deadline}: the {@link System#nanoTime()} after which the evaluation counts as over the limit. */
    RuleCost(long perCallLimit, long remainingBudget, long deadline) {
        this.perCallLimit = perCallLimit;
        this.remainingBudget = remainingBudget;
        this.deadline = deadline;
    }

    @Override
    public void callback(CelExpr expr, Object result) {
        cost += 1 + size(result);
        if (cost > perCallLimit || (++calls & 1023) == 0 && System.nanoTime() - deadline > 0) {
            throw new LimitExceeded(true);
        }
        if (cost > remainingBudget) {
            throw new LimitExceeded(false);
        }
    }

    long cost() {
        return cost;
    }

    private static long size(Object value) {
        if (value instanceof String text) {
            return text.length() / 10;
        }
        if (value instanceof Collection<?> collection) {
            return collection.size() / 10;
        }
        if (value instanceof Map<?, ?> map) {
            return map.size() / 10;
        }
        return 0;
    }
}
