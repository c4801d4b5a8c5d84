package dev.flotilla.controllers.ownership;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Map;
import java.util.function.Function;

/**
 * Queues the owner a pod change concerns: the owner of {@code kind} its controller reference names,
 * or, for an orphan, every owner in its namespace whose selector matches its labels now or before.
 */
public final class PodOwnerQueue<T extends HasMetadata> {

    private final String kind;
    private final SharedIndexInformer<T> owners;
    private final Function<T, LabelSelector> selector;
    private final WorkQueue<String> queue;

    public PodOwnerQueue(String kind, SharedIndexInformer<T> owners, Function<T, LabelSelector> selector,
            WorkQueue<String> queue) {
        this.kind = kind;
        this.owners = owners;
        this.selector = selector;
        this.queue = queue;
    }

    /** The key of the dependent's controller when it is of this kind, else null. */
    public String ownerKey(HasMetadata dependent) {
        OwnerReference reference = ControllerRefs.controllerOf(dependent);
        if (reference == null || !kind.equals(reference.getKind())) {
            return null;
        }
        return dependent.getMetadata().getNamespace() + "/" + reference.getName();
    }

    /** A {@code PodChanges} callback. */
    public void podChanged(Pod pod, Map<String, String> oldLabels) {
        String owner = ownerKey(pod);
        if (owner != null) {
            queue.add(owner);
            return;
        }
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        for (T candidate : owners.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
            LabelSelector s = selector.apply(candidate);
            if (s.matches(labels) || oldLabels != null && s.matches(oldLabels)) {
                queue.add(Keys.of(candidate));
            }
        }
    }
}
