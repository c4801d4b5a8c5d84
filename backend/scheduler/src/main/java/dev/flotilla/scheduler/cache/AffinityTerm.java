package dev.flotilla.scheduler.cache;

import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.Map;
import java.util.Set;

/**
 * A pod (anti-)affinity term as the scheduler matches it, derived once from its owner pod (as
 * upstream's framework.AffinityTerm): the namespaces it covers (its own list, or the owner's
 * namespace when it names neither namespaces nor a namespaceSelector), the namespaceSelector, the
 * label selector with matchLabelKeys / mismatchLabelKeys merged in from the owner's labels, and
 * the topology key. {@code weight} is 0 for required terms.
 */
public record AffinityTerm(Set<String> namespaces, LabelSelector namespaceSelector, LabelSelector selector,
        String topologyKey, int weight) {

    static AffinityTerm of(Pod owner, PodAffinityTerm term, int weight) {
        Set<String> namespaces = Set.copyOf(term.getNamespaces());
        if (namespaces.isEmpty() && term.getNamespaceSelector() == null) {
            namespaces = Set.of(owner.getMetadata().getNamespace());
        }
        LabelSelector selector = MatchLabelKeys.merge(LabelSelector.fromMetaV1(term.getLabelSelector()),
                owner.getMetadata().getLabels(), term.getMatchLabelKeys(), term.getMismatchLabelKeys());
        return new AffinityTerm(namespaces, LabelSelector.fromMetaV1(term.getNamespaceSelector()), selector,
                term.getTopologyKey(), weight);
    }

    /** Whether {@code pod}, in a namespace with {@code namespaceLabels}, is one this term selects. */
    public boolean matches(Pod pod, Map<String, String> namespaceLabels) {
        String namespace = pod.getMetadata().getNamespace();
        boolean inNamespace = namespaces.contains(namespace)
                || (!namespaceSelector.matchesNothing() && namespaceSelector.matches(namespaceLabels));
        return inNamespace && selector.matches(pod.getMetadata().getLabels());
    }
}
