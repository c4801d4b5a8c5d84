package dev.flotilla.controllers.volume;

import dev.flotilla.api.storage.PodClaims;
import dev.flotilla.controllers.framework.ChangeHandler;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimTemplate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;

/**
 * Upstream's ephemeral volume controller: for every generic ephemeral volume of a pod
 * ({@code ephemeral.volumeClaimTemplate}) it creates the claim {@code <pod>-<volume>} from the
 * template (its labels, annotations and spec), controlled by the pod with blockOwnerDeletion, so the
 * garbage collector deletes it with the pod. A claim of that name the pod does not own is left alone:
 * the pod gets a {@code FailedBinding} warning in upstream's words and is retried with back-off (the
 * scheduler keeps it Pending). A deleted claim re-queues the pods that named it.
 */
public final class EphemeralVolumeController implements Controller {

    static final String COMPONENT = "ephemeral_volume";

    private KubernetesClient client;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<PersistentVolumeClaim> claims;
    private EventRecorder events;

    @Override
    public String name() {
        return "ephemeral-volume";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        client = context.client();
        events = new EventRecorder(client, COMPONENT);
        pods = context.informers().of(Pod.class);
        claims = context.informers().of(PersistentVolumeClaim.class);
        pods.addEventHandler(Enqueue.onChange(queue, pod -> needsClaims(pod) ? Keys.of(pod) : null));
        claims.addEventHandler(ChangeHandler.onDelete(claim -> claimGone(queue, claim)));
    }

    private static boolean needsClaims(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getSpec().getVolumes() != null
                && pod.getSpec().getVolumes().stream().anyMatch(PodClaims::isEphemeral);
    }

    /** A pod whose ephemeral claim went away (deleted by hand, or a foreign one removed) needs it (again). */
    private void claimGone(WorkQueue<String> queue, PersistentVolumeClaim claim) {
        String namespace = claim.getMetadata().getNamespace();
        for (Pod pod : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            if (needsClaims(pod) && PodClaims.uses(pod, claim.getMetadata().getName())) {
                queue.add(Keys.of(pod));
            }
        }
    }

    @Override
    public void reconcile(String key) {
        Pod pod = pods.getStore().getByKey(key);
        if (pod == null || !needsClaims(pod)) {
            return;
        }
        for (Volume volume : pod.getSpec().getVolumes()) {
            if (PodClaims.isEphemeral(volume)) {
                try {
                    ensureClaim(pod, volume);
                } catch (RuntimeException e) {
                    events.warning(pod, "FailedBinding", "ephemeral volume " + volume.getName() + ": " + e.getMessage());
                    throw e;
                }
            }
        }
    }

    private void ensureClaim(Pod pod, Volume volume) {
        String namespace = pod.getMetadata().getNamespace();
        String name = PodClaims.claimName(pod, volume);
        PersistentVolumeClaim existing = claims.getStore().getByKey(namespace + "/" + name);
        if (existing != null) {
            requireOwned(existing, pod);
            return;
        }
        PersistentVolumeClaimTemplate template = volume.getEphemeral().getVolumeClaimTemplate();
        if (template == null) {
            // Validation refuses such pods; nothing can be made from it.
            return;
        }
        PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withOwnerReferences(List.of(ownerRef(pod)))
                .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
                .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
        try {
            client.persistentVolumeClaims().inNamespace(namespace).resource(claim).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // Created meanwhile (by an earlier attempt, or by someone else): check whose it is.
                PersistentVolumeClaim live = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
                if (live != null) {
                    requireOwned(live, pod);
                    return;
                }
            }
            throw new IllegalStateException("create PVC " + name + ": " + e.getMessage(), e);
        }
    }

    private static void requireOwned(PersistentVolumeClaim claim, Pod pod) {
        if (!PodClaims.isOwnedBy(claim, pod)) {
            throw new IllegalStateException(PodClaims.notOwnerMessage(claim, pod));
        }
    }

    static OwnerReference ownerRef(Pod pod) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }
}
