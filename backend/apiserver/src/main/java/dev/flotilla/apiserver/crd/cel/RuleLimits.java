package dev.flotilla.apiserver.crd.cel;

/**
 * How much evaluating rules may cost, in the units of {@link RuleCost}: per rule evaluation, and for
 * all rules of one object together; the cost defaults are upstream's (PerCallLimit 1,000,000 and
 * RuntimeCELCostBudget 10,000,000). cel-java's interpreter is slower per unit than cel-go, so the
 * rules of one object also get at most {@code timeoutMillis} of evaluation, whatever they cost.
 */
public record RuleLimits(long perCall, long perObject, long timeoutMillis) {

    public static final RuleLimits UPSTREAM = new RuleLimits(1_000_000, 10_000_000, 2_000);

    public RuleLimits(long perCall, long perObject) {
        this(perCall, perObject, UPSTREAM.timeoutMillis());
    }
}
