package dev.flotilla.api.storage;

/** The annotations and names upstream's volume binding writes, shared by the controller, scheduler and node. */
public final class VolumeAnnotations {

    /** On a claim: the PV controller has finished binding it. */
    public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    /** On a claim or PV: the binding was made by a controller (the scheduler or the PV controller), not by the user. */
    public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    /** On a PV: the provisioner that created it. */
    public static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
    /** On a claim: the provisioner asked to create its volume. */
    public static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
    public static final String BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
    /** On a claim of a WaitForFirstConsumer class: the node the scheduler chose for its first pod. */
    public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    /** The claim's class before {@code spec.storageClassName} existed; still wins over the field, as upstream. */
    public static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
    public static final String YES = "yes";

    /** The built-in provisioner of hostPath volumes on the node a claim's first pod runs on. */
    public static final String LOCAL_PATH_PROVISIONER = "flotilla.dev/local-path";
    public static final String LOCAL_PATH_CLASS = "local-path";
    /** On a local-path PV: the node that holds its directory. */
    public static final String LOCAL_PATH_NODE = "local-path.flotilla.dev/node";
    /** On a local-path PV: held until the node removed the directory. */
    public static final String LOCAL_PATH_CLEANUP_FINALIZER = "local-path.flotilla.dev/cleanup";
    /** On a Node: where its agent keeps local-path volume directories. */
    public static final String LOCAL_PATH_DIR = "local-path.flotilla.dev/base-dir";

    public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";

    private VolumeAnnotations() {
    }
}
