package dev.flotilla.scheduler.framework;

import java.util.List;

/**
 * What a filter plugin says about a pod on a node: it fits, it does not fit for now
 * ({@code UNSCHEDULABLE}: removing other pods could help, so preemption may), or it cannot fit
 * whatever happens to other pods ({@code UNRESOLVABLE}). Reasons are upstream's words.
 */
public record FilterResult(Code code, List<String> reasons) {

    public enum Code { SUCCESS, UNSCHEDULABLE, UNRESOLVABLE }

    public static final FilterResult FITS = new FilterResult(Code.SUCCESS, List.of());

    public static FilterResult unschedulable(String... reasons) {
        return new FilterResult(Code.UNSCHEDULABLE, List.of(reasons));
    }

    public static FilterResult unresolvable(String... reasons) {
        return new FilterResult(Code.UNRESOLVABLE, List.of(reasons));
    }

    public boolean fits() {
        return code == Code.SUCCESS;
    }
}
