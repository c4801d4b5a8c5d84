package dev.flotilla.controllers.replicaset;

/**
 * The status a ReplicaSet or ReplicationController reports, kind-neutral. {@code failure} is the
 * ReplicaFailure condition (null when there is none).
 */
public record ReplicaStatus(int replicas, int fullyLabeledReplicas, int readyReplicas, int availableReplicas,
        long observedGeneration, Failure failure) {

    /** The ReplicaFailure condition: reason FailedCreate or FailedDelete and the API's message. */
    public record Failure(String reason, String message, String lastTransitionTime) {
    }
}
