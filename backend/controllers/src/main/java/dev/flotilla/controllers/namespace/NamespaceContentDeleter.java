package dev.flotilla.controllers.namespace;

import dev.flotilla.controllers.framework.Discovery;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deletes everything in a namespace: every namespaced resource that discovery lists (custom
 * resources too) that can be listed and deleted, then counts what is still there and which
 * finalizers hold it, for the namespace's status conditions.
 */
final class NamespaceContentDeleter {

    /** One pass: discovery failures, deletion errors, what remains (by group resource) and the finalizers left. */
    record Outcome(List<String> discoveryFailures, List<String> deletionErrors, Map<String, Integer> remaining,
            Map<String, Integer> finalizersRemaining) {

        boolean done() {
            return discoveryFailures.isEmpty() && deletionErrors.isEmpty() && remaining.isEmpty();
        }
    }

    private final KubernetesClient client;

    NamespaceContentDeleter(KubernetesClient client) {
        this.client = client;
    }

    Outcome delete(String namespace) {
        Discovery.Result discovered = Discovery.preferredResources(client);
        List<String> errors = new ArrayList<>();
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        for (Discovery.Resource resource : discovered.resources()) {
            if (!resource.context().isNamespaceScoped() || !resource.supports("list")
                    || !(resource.supports("delete") || resource.supports("deletecollection"))) {
                continue;
            }
            try {
                List<GenericKubernetesResource> items = deleteAll(resource, namespace);
                if (!items.isEmpty()) {
                    remaining.put(resource.groupResource(), items.size());
                    for (GenericKubernetesResource item : items) {
                        for (String finalizer : item.getMetadata().getFinalizers()) {
                            finalizers.merge(finalizer, 1, Integer::sum);
                        }
                    }
                }
            } catch (KubernetesClientException e) {
                errors.add(resource.groupResource() + ": " + e.getMessage());
            }
        }
        return new Outcome(discovered.failures(), errors, remaining, finalizers);
    }

    /** Deletes each object not already being deleted, then answers what is still listed. */
    private List<GenericKubernetesResource> deleteAll(Discovery.Resource resource, String namespace) {
        var objects = client.genericKubernetesResources(resource.context()).inNamespace(namespace);
        for (GenericKubernetesResource item : objects.list().getItems()) {
            if (item.getMetadata().getDeletionTimestamp() == null) {
                objects.withName(item.getMetadata().getName())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            }
        }
        return objects.list().getItems();
    }
}
