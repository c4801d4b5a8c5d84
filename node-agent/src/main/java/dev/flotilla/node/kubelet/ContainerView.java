package dev.flotilla.node.kubelet;

import dev.flotilla.node.cri.v1.ContainerState;
import dev.flotilla.node.cri.v1.ContainerStatus;
import java.time.Instant;

/** One attempt of a pod container as the runtime reports it, with the times and exit code of CRI status. */
record ContainerView(ContainerStatus status) {

    String id() {
        return status.getId();
    }

    int attempt() {
        return status.getMetadata().getAttempt();
    }

    boolean running() {
        return status.getState() == ContainerState.CONTAINER_RUNNING;
    }

    boolean exited() {
        return status.getState() == ContainerState.CONTAINER_EXITED;
    }

    boolean succeeded() {
        return exited() && status.getExitCode() == 0;
    }

    Instant startedAt() {
        return nanos(status.getStartedAt());
    }

    Instant finishedAt() {
        return nanos(status.getFinishedAt());
    }

    /** Upstream's reasons: OOMKilled as the runtime says, else Completed for 0 and Error otherwise. */
    /** The runtime's reason (Completed, Error, OOMKilled, StartError) when it gives one, as upstream shows it. */
    String terminationReason() {
        if (!status.getReason().isEmpty()) {
            return status.getReason();
        }
        return status.getExitCode() == 0 ? "Completed" : "Error";
    }

    private static Instant nanos(long value) {
        return Instant.ofEpochSecond(0, value);
    }
}
