package dev.flotilla.node.kubelet;

/** The labels the agent puts on CRI sandboxes and containers to find a pod's parts again (upstream's names). */
public final class PodLabels {

    public static final String POD_UID = "io.kubernetes.pod.uid";
    public static final String POD_NAME = "io.kubernetes.pod.name";
    public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String CONTAINER_NAME = "io.kubernetes.container.name";
    /** Annotation with the pod's termination grace period, for stopping orphans the API no longer knows. */
    static final String GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";

    private PodLabels() {
    }
}
