package dev.flotilla.controllers.volume;

import dev.flotilla.api.storage.PodClaims;
import dev.flotilla.api.storage.StorageProtection;
import dev.flotilla.controllers.framework.ChangeHandler;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.Finalizers;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Collection;

/**
 * Upstream's pvc-protection controller: a claim being deleted keeps {@code kubernetes.io/pvc-protection}
 * while a scheduled pod of its namespace that is not shut down (Succeeded, Failed, or force-deleted)
 * mounts it, as a {@code persistentVolumeClaim} volume or as the generic ephemeral volume whose claim it
 * is; once none does, the finalizer goes and the claim with it. A live claim without the finalizer
 * gets it. Pod changes re-queue the claims the pod names. As upstream, "not used" in the informer's
 * cache is confirmed with a live list of the namespace's pods before the finalizer is removed.
 */
public final class PvcProtectionController implements Controller {

    private KubernetesClient client;
    private SharedIndexInformer<PersistentVolumeClaim> claims;
    private SharedIndexInformer<Pod> pods;
    private Finalizers finalizers;

    @Override
    public String name() {
        return "pvc-protection";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        client = context.client();
        finalizers = new Finalizers(client);
        claims = context.informers().of(PersistentVolumeClaim.class);
        pods = context.informers().of(Pod.class);
        claims.addEventHandler(Enqueue.onChange(queue, claim -> needsWork(claim) ? Keys.of(claim) : null));
        pods.addEventHandler(ChangeHandler.of(pod -> enqueueClaims(queue, pod)));
    }

    private static boolean needsWork(PersistentVolumeClaim claim) {
        return Finalizers.isDeletionCandidate(claim, StorageProtection.PVC_FINALIZER)
                || Finalizers.needsFinalizer(claim, StorageProtection.PVC_FINALIZER);
    }

    /** Only claims being deleted can be freed by a pod's change; others need nothing from it. */
    private void enqueueClaims(WorkQueue<String> queue, Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        for (String name : PodClaims.claimNames(pod)) {
            PersistentVolumeClaim claim = claims.getStore().getByKey(namespace + "/" + name);
            if (claim != null && Finalizers.isDeletionCandidate(claim, StorageProtection.PVC_FINALIZER)) {
                queue.add(namespace + "/" + name);
            }
        }
    }

    @Override
    public void reconcile(String key) {
        PersistentVolumeClaim claim = claims.getStore().getByKey(key);
        if (claim == null) {
            return;
        }
        if (Finalizers.isDeletionCandidate(claim, StorageProtection.PVC_FINALIZER)) {
            String namespace = claim.getMetadata().getNamespace();
            if (!anyUses(pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace), claim)
                    && !anyUses(client.pods().inNamespace(namespace).list().getItems(), claim)) {
                finalizers.remove(claim, StorageProtection.PVC_FINALIZER);
            }
        } else if (Finalizers.needsFinalizer(claim, StorageProtection.PVC_FINALIZER)) {
            finalizers.add(claim, StorageProtection.PVC_FINALIZER);
        }
    }

    private static boolean anyUses(Collection<Pod> candidates, PersistentVolumeClaim claim) {
        return candidates.stream().anyMatch(pod -> uses(pod, claim));
    }

    /**
     * Upstream's podUsesPVC: only a scheduled pod holds a claim (the node refuses to start one whose
     * claim is being deleted); a shut-down pod holds none.
     */
    static boolean uses(Pod pod, PersistentVolumeClaim claim) {
        if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty() || isShutDown(pod)) {
            return false;
        }
        String name = claim.getMetadata().getName();
        for (Volume volume : pod.getSpec().getVolumes()) {
            if (!name.equals(PodClaims.claimName(pod, volume))) {
                continue;
            }
            if (!PodClaims.isEphemeral(volume) || PodClaims.isOwnedBy(claim, pod)) {
                return true;
            }
        }
        return false;
    }

    /** Succeeded, Failed, or force-deleted (grace period 0): the node is done with it. */
    static boolean isShutDown(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase)
                || pod.getMetadata().getDeletionTimestamp() != null
                        && Long.valueOf(0).equals(pod.getMetadata().getDeletionGracePeriodSeconds());
    }
}
