package dev.flotilla.node.kubelet;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's {@code spec.imagePullSecrets}, read from the API at each pull (the ServiceAccount admission
 * has already copied the account's onto the pod, as upstream). Secrets that cannot be read are left
 * out with upstream's {@code FailedToRetrieveImagePullSecret} event; the pull is tried all the same.
 */
final class PullSecrets {

    private final KubernetesClient client;
    private final PodEvents events;

    PullSecrets(KubernetesClient client, PodEvents events) {
        this.client = client;
        this.events = events;
    }

    List<Secret> of(Pod pod) {
        List<LocalObjectReference> refs = pod.getSpec().getImagePullSecrets();
        if (refs == null || refs.isEmpty()) {
            return List.of();
        }
        String namespace = pod.getMetadata().getNamespace();
        List<Secret> found = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (LocalObjectReference ref : refs) {
            if (ref.getName() == null || ref.getName().isEmpty()) {
                continue;
            }
            Secret secret;
            try {
                secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
            } catch (KubernetesClientException e) {
                secret = null;
            }
            if (secret == null) {
                failed.add(ref.getName());
            } else {
                found.add(secret);
            }
        }
        if (!failed.isEmpty()) {
            events.warning(pod, "FailedToRetrieveImagePullSecret", "Unable to retrieve some image pull secrets ("
                    + String.join(", ", failed) + "); attempting to pull the image may not succeed.");
        }
        return found;
    }
}
