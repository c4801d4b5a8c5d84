package dev.flotilla.scheduler.plugins;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.informers.cache.Store;

/** The informer stores the volume plugins read (upstream's claim, volume and class listers). */
public record VolumeStores(Store<PersistentVolumeClaim> claims, Store<PersistentVolume> volumes,
        Store<StorageClass> classes) {

    /** Upstream's NotFound error of a claim lister, which the volume plugins report as unresolvable. */
    static String claimNotFound(String name) {
        return "persistentvolumeclaim \"" + name + "\" not found";
    }
}
