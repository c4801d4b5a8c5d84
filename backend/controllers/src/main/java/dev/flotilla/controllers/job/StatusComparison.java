package dev.flotilla.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import java.util.List;
import java.util.Objects;

/**
 * Whether a computed Job status differs from the stored one in anything a write would change; empty
 * and absent fields are the same, so the controller never rewrites (and re-triggers itself) forever.
 */
final class StatusComparison {

    private StatusComparison() {
    }

    static boolean same(JobStatus stored, JobStatus computed) {
        JobStatus old = stored == null ? new JobStatus() : stored;
        return number(old.getActive()) == number(computed.getActive())
                && number(old.getReady()) == number(computed.getReady())
                && number(old.getSucceeded()) == number(computed.getSucceeded())
                && number(old.getFailed()) == number(computed.getFailed())
                && Objects.equals(old.getStartTime(), computed.getStartTime())
                && Objects.equals(old.getCompletionTime(), computed.getCompletionTime())
                && Objects.equals(blankToNull(old.getCompletedIndexes()), blankToNull(computed.getCompletedIndexes()))
                && list(old.getConditions()).equals(list(computed.getConditions()))
                && uncounted(old.getUncountedTerminatedPods()).equals(uncounted(computed.getUncountedTerminatedPods()));
    }

    private static int number(Integer value) {
        return value == null ? 0 : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }

    private static List<List<String>> uncounted(UncountedTerminatedPods pods) {
        return pods == null ? List.of(List.of(), List.of()) : List.of(list(pods.getSucceeded()), list(pods.getFailed()));
    }
}
