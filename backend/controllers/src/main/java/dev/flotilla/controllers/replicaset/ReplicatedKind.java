package dev.flotilla.controllers.replicaset;

import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What differs between ReplicaSets and ReplicationControllers for the one replica controller. */
public interface ReplicatedKind<T extends HasMetadata> {

    /** The controller's name: {@code replicaset} or {@code replicationcontroller}. */
    String controllerName();

    /** The source component of its events, as upstream names the controller. */
    String eventComponent();

    Class<T> type();

    String apiVersion();

    String kind();

    int replicas(T set);

    LabelSelector selector(T set);

    PodTemplateSpec template(T set);

    int minReadySeconds(T set);

    ReplicaStatus status(T set);

    /** Writes {@code status} through the status subresource (optimistic: a conflict is retried by the queue). */
    void writeStatus(KubernetesClient client, T set, ReplicaStatus status);
}
