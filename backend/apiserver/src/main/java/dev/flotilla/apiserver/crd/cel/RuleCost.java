package dev.flotilla.apiserver.crd.cel;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;

/**
 * The runtime cost of one rule evaluation, counted as the evaluator visits expressions (one per
 * expression, plus the size of every string, list or map an expression yields, so work on big
 * values costs more). Going over the per-call limit or the object's deadline (checked every 1,024
 * expressions), or over what is left of the object's budget, stops the evaluation at once, also
 * inside {@code all()}/{@code exists()}: cel-java turns every {@link Exception} thrown during
 * evaluation into an error value that {@code &&}, {@code ||} and a comprehension's loop step
 * absorb, so {@link LimitExceeded} is an {@link Error}, which its interpreter never catches, and
 * once thrown every later expression throws it again.
 */
final class RuleCost implements CelEvaluationListener {

    /** Thrown from inside the evaluation when the limit is reached; not an Exception, see above. */
    static final class LimitExceeded extends Error {
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
    private LimitExceeded exceeded;

    /** {@code deadline}: the {@link System#nanoTime()} after which the evaluation counts as over the limit. */
    RuleCost(long perCallLimit, long remainingBudget, long deadline) {
        this.perCallLimit = perCallLimit;
        this.remainingBudget = remainingBudget;
        this.deadline = deadline;
    }

    @Override
    public void callback(CelExpr expr, Object result) {
        if (exceeded != null) {
            throw exceeded;
        }
        cost += 1 + size(result);
        if (cost > perCallLimit || (++calls & 1023) == 0 && System.nanoTime() - deadline > 0) {
            exceeded = new LimitExceeded(true);
        } else if (cost > remainingBudget) {
            exceeded = new LimitExceeded(false);
        }
        if (exceeded != null) {
            throw exceeded;
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
