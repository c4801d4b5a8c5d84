package dev.flotilla.apiserver.strategy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The repair of one range (upstream's repair controllers for service IPs and node ports): a claim
 * that no Service holds is released once two runs in a row have seen it unheld and unchanged, so a
 * create between its claim and its write (on this or another API server) is never robbed of its
 * value. Claims leak when a server stops between the two, or when a write's outcome was unknown.
 */
final class LeakedClaims {

    private final RangeAllocator range;
    /** Unheld claims of the previous run: value → the revision of its claim. */
    private Map<Long, Long> suspects = Map.of();

    LeakedClaims(RangeAllocator range) {
        this.range = range;
    }

    /** Runs one pass against the values Services hold now; returns how many claims it released. */
    synchronized int repair(Set<Long> held) {
        Map<Long, Long> unheld = new HashMap<>();
        range.claims().forEach((value, revision) -> {
            if (range.contains(value) && !held.contains(value)) {
                unheld.put(value, revision);
            }
        });
        int released = 0;
        Map<Long, Long> next = new HashMap<>();
        for (Map.Entry<Long, Long> claim : unheld.entrySet()) {
            if (claim.getValue().equals(suspects.get(claim.getKey()))) {
                range.release(claim.getKey(), claim.getValue());
                released++;
            } else {
                next.put(claim.getKey(), claim.getValue());
            }
        }
        suspects = next;
        return released;
    }
}
