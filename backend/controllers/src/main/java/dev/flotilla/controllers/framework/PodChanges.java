package dev.flotilla.controllers.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A pod handler for controllers that select pods by label: each change hands over the pod and its
 * labels before an update ({@code null} on add and delete), so that what selected it before is
 * queued as well as what selects it now.
 */
public final class PodChanges implements ResourceEventHandler<Pod> {

    private final BiConsumer<Pod, Map<String, String>> changed;

    public PodChanges(BiConsumer<Pod, Map<String, String>> changed) {
        this.changed = changed;
    }

    @Override
    public void onAdd(Pod pod) {
        changed.accept(pod, null);
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
        changed.accept(pod, old.getMetadata().getLabels());
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
        changed.accept(pod, null);
    }
}
