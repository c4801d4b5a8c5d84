package dev.flotilla.controllers.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.Informers;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds the tenant reconciler manages in tenant namespaces, read from informers, so that a
 * reconcile of a tenant whose namespaces are already in line makes no API call at all. A change to
 * a managed object (someone deleted the tenant's LimitRange) enqueues its tenant, which puts it back.
 * Generic informers: the objects compare as the JSON the API serves, as the desired ones are built.
 */
final class ManagedObjects {

    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> byKind = new LinkedHashMap<>();
    private final Map<String, String> apiVersions = new LinkedHashMap<>();

    ManagedObjects(Informers informers, WorkQueue<String> queue) {
        for (Class<? extends HasMetadata> type : List.of(ResourceQuota.class, LimitRange.class, NetworkPolicy.class,
                RoleBinding.class)) {
            ResourceDefinitionContext resource = ResourceDefinitionContext.fromResourceType(type);
            SharedIndexInformer<GenericKubernetesResource> informer = informers.of(resource, i -> {
            });
            informer.addEventHandler(Enqueue.by(queue, ManagedObjects::tenantOf));
            byKind.put(resource.getKind(), informer);
            apiVersions.put(resource.getKind(), resource.getGroup() == null || resource.getGroup().isEmpty()
                    ? resource.getVersion() : resource.getGroup() + "/" + resource.getVersion());
        }
    }

    /** The kinds, as the reconciler names them. */
    List<String> kinds() {
        return List.copyOf(byKind.keySet());
    }

    /** The apiVersion of one of the {@link #kinds}. */
    String apiVersion(String kind) {
        informer(kind);
        return apiVersions.get(kind);
    }

    /** The cached object as JSON, if the informer has it. */
    Optional<JsonNode> get(String kind, String namespace, String name) {
        GenericKubernetesResource cached = informer(kind).getStore().getByKey(namespace + "/" + name);
        return Optional.ofNullable(cached).map(object -> Json.mapper().valueToTree(object));
    }

    /** Names of the reconciler's objects of a kind in a namespace (those carrying the managed-by label). */
    List<String> managedNames(String kind, String namespace) {
        return informer(kind).getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                .filter(object -> TenancyApi.MANAGED_BY.equals(labels(object).get(TenancyApi.MANAGED_BY_LABEL)))
                .map(object -> object.getMetadata().getName()).toList();
    }

    private SharedIndexInformer<GenericKubernetesResource> informer(String kind) {
        SharedIndexInformer<GenericKubernetesResource> informer = byKind.get(kind);
        if (informer == null) {
            throw new IllegalArgumentException("not a kind the tenant reconciler manages: " + kind);
        }
        return informer;
    }

    /** The tenant an object the reconciler manages belongs to; null for other objects. */
    static String tenantOf(HasMetadata object) {
        Map<String, String> labels = labels(object);
        return TenancyApi.MANAGED_BY.equals(labels.get(TenancyApi.MANAGED_BY_LABEL))
                ? labels.get(TenancyApi.TENANT_LABEL) : null;
    }

    private static Map<String, String> labels(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }
}
