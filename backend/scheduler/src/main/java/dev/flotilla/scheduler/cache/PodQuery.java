package dev.flotilla.scheduler.cache;

import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;

/**
 * Which existing pods a PreFilter counts, and by which node label: pods in {@code namespaces}
 * whose labels {@code selector} matches (terminating ones left out when {@code skipTerminating}),
 * counted per value of the label {@code topologyKey} of their node. {@link PodIndex#matching}
 * answers it, kept current as pods come and go.
 */
public record PodQuery(Set<String> namespaces, LabelSelector selector, boolean skipTerminating, String topologyKey) {

    /** The pods a required or preferred affinity term without a namespaceSelector selects. */
    public static PodQuery of(AffinityTerm term) {
        return new PodQuery(term.namespaces(), term.selector(), false, term.topologyKey());
    }

    /** The pods a topology spread constraint of a pod in {@code namespace} counts. */
    public static PodQuery of(SpreadConstraint constraint, String namespace) {
        return new PodQuery(Set.of(namespace), constraint.selector(), true, constraint.topologyKey());
    }

    boolean matches(Pod pod) {
        return namespaces.contains(pod.getMetadata().getNamespace())
                && (!skipTerminating || pod.getMetadata().getDeletionTimestamp() == null)
                && selector.matches(pod.getMetadata().getLabels());
    }
}
