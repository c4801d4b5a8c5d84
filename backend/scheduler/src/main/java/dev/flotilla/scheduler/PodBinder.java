package dev.flotilla.scheduler;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import dev.flotilla.scheduler.plugins.VolumeBinding;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Binds pods through the {@code pods/binding} subresource, at most {@code maxInFlight} at once
 * (the scheduling loop waits for a slot, which is its back-pressure).
 */
final class PodBinder {

    private final ApiRequests api;
    private final Semaphore slots;
    private final VolumeBinding volumes;

    /** {@code volumes} (may be null) binds the pod's claims first: upstream's VolumeBinding PreBind. */
    PodBinder(ApiRequests api, int maxInFlight, VolumeBinding volumes) {
        this.api = api;
        this.slots = new Semaphore(maxInFlight);
        this.volumes = volumes;
    }

    CompletableFuture<String> bind(Pod pod, String nodeName) throws InterruptedException {
        Binding binding = new BindingBuilder()
                .withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
                .withUid(pod.getMetadata().getUid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
                .build();
        slots.acquire();
        try {
            String path = "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/"
                    + pod.getMetadata().getName() + "/binding";
            CompletableFuture<Void> volumesBound = volumes == null ? CompletableFuture.completedFuture(null)
                    : volumes.preBind(pod, nodeName);
            return volumesBound.thenCompose(ok -> api.post(path, binding))
                    .whenComplete((ok, error) -> slots.release());
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }
}
