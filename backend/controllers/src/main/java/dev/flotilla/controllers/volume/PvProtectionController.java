package dev.flotilla.controllers.volume;

import dev.flotilla.api.storage.StorageProtection;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.Finalizers;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Upstream's pv-protection controller: a PersistentVolume being deleted keeps
 * {@code kubernetes.io/pv-protection} while its phase is Bound; once the PV controller has released
 * it (its claim is gone), the finalizer goes and the volume with it. A live volume without the
 * finalizer gets it.
 */
public final class PvProtectionController implements Controller {

    private SharedIndexInformer<PersistentVolume> volumes;
    private Finalizers finalizers;

    @Override
    public String name() {
        return "pv-protection";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        finalizers = new Finalizers(context.client());
        volumes = context.informers().of(PersistentVolume.class);
        volumes.addEventHandler(Enqueue.onChange(queue, volume -> needsWork(volume) ? Keys.of(volume) : null));
    }

    private static boolean needsWork(PersistentVolume volume) {
        return Finalizers.isDeletionCandidate(volume, StorageProtection.PV_FINALIZER)
                || Finalizers.needsFinalizer(volume, StorageProtection.PV_FINALIZER);
    }

    @Override
    public void reconcile(String key) {
        PersistentVolume volume = volumes.getStore().getByKey(key);
        if (volume == null) {
            return;
        }
        if (Finalizers.isDeletionCandidate(volume, StorageProtection.PV_FINALIZER)) {
            if (!isBound(volume)) {
                finalizers.remove(volume, StorageProtection.PV_FINALIZER);
            }
        } else if (Finalizers.needsFinalizer(volume, StorageProtection.PV_FINALIZER)) {
            finalizers.add(volume, StorageProtection.PV_FINALIZER);
        }
    }

    /** Upstream's isBeingUsed: the PV controller keeps the phase Bound while a claim holds the volume. */
    static boolean isBound(PersistentVolume volume) {
        return volume.getStatus() != null && "Bound".equals(volume.getStatus().getPhase());
    }
}
