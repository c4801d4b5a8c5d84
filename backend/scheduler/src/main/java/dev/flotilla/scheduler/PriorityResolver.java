package dev.flotilla.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.informers.cache.Store;

/**
 * A pod's priority: {@code spec.priority} when the API server has resolved it, otherwise the value
 * of its {@code priorityClassName}, or of the global-default PriorityClass, or 0, as upstream's
 * Priority admission would have set it.
 */
final class PriorityResolver {

    private final Store<PriorityClass> classes;

    PriorityResolver(Store<PriorityClass> classes) {
        this.classes = classes;
    }

    int priorityOf(Pod pod) {
        if (pod.getSpec().getPriority() != null) {
            return pod.getSpec().getPriority();
        }
        String className = pod.getSpec().getPriorityClassName();
        if (className != null && !className.isEmpty()) {
            PriorityClass named = classes.getByKey(className);
            if (named != null) {
                return named.getValue();
            }
            return 0;
        }
        for (PriorityClass candidate : classes.list()) {
            if (Boolean.TRUE.equals(candidate.getGlobalDefault())) {
                return candidate.getValue();
            }
        }
        return 0;
    }
}
