package dev.flotilla.node.probe;

import io.fabric8.kubernetes.api.model.Container;

/** What the kubelet does with probe results. */
public interface ProbeListener {

    /** A container's readiness or started state changed: the pod's status needs writing. */
    void resultChanged(String podUid);

    /**
     * A liveness or startup probe failed {@code failureThreshold} times in a row: the container is to
     * be killed (with {@code graceSeconds}, the probe's or the pod's) and restarted per restartPolicy.
     */
    void unhealthy(String podUid, String containerId, Container container, ProbeKind kind, String message,
                   long graceSeconds);
}
