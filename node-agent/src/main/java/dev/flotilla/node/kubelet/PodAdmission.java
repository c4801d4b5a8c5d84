package dev.flotilla.node.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** Decides whether the node runs a pod it has not started yet: empty admits, else the refusal's reason and message. */
public interface PodAdmission {

    PodAdmission ADMIT_ALL = pod -> Optional.empty();

    Optional<Refusal> admit(Pod pod);

    record Refusal(String reason, String message) {
    }
}
