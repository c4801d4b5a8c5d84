package dev.flotilla.api.storage;

/**
 * Upstream's storage object in-use protection finalizers: the admission plugin adds them on create,
 * the pvc-protection and pv-protection controllers remove them once the object is no longer in use.
 */
public final class StorageProtection {

    /** On a PersistentVolumeClaim: held while a pod that is not Succeeded or Failed uses the claim. */
    public static final String PVC_FINALIZER = "kubernetes.io/pvc-protection";
    /** On a PersistentVolume: held while the volume is Bound. */
    public static final String PV_FINALIZER = "kubernetes.io/pv-protection";

    private StorageProtection() {
    }
}
