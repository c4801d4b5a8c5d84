package dev.flotilla.controllers.ownership;

import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** {@link ControllerRefClaims} over pods through the API: adoption re-reads the owner, patches are strategic merges. */
public final class PodClaims {

    private PodClaims() {
    }

    public static <O extends HasMetadata> ControllerRefClaims<Pod> of(KubernetesClient client, O owner, Class<O> type,
            OwnerReference controllerRef, LabelSelector selector) {
        return new ControllerRefClaims<>(owner, controllerRef, selector, () -> {
            O fresh = client.resources(type).inNamespace(owner.getMetadata().getNamespace())
                    .withName(owner.getMetadata().getName()).get();
            return fresh != null && fresh.getMetadata().getUid().equals(owner.getMetadata().getUid())
                    && fresh.getMetadata().getDeletionTimestamp() == null;
        }, (pod, patch) -> client.pods().inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch));
    }
}
