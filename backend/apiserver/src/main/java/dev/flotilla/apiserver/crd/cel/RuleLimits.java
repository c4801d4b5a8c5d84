package dev.flotilla.apiserver.crd.cel;

/**
 * How much evaluating rules may cost, in the units of {@link RuleCost}: per rule evaluation, and for
 * all rules of one object together. The defaults are upstream's (PerCallLimit 1,000,000 and
 * RuntimeCELCostBudget 10,000,000).
 */
public record RuleLimits(long perCall, long perObject) {

    public static final RuleLimits UPSTREAM = new RuleLimits(1_000_000, 10_000_000);
}
