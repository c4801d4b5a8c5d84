package dev.flotilla.controllers.quota;

import dev.flotilla.api.quota.ObjectUsage;
import dev.flotilla.api.quota.PodUsage;
import dev.flotilla.controllers.framework.ControllerContext;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The objects quotas count, from the controller manager's shared informers: what one namespace, or
 * all the namespaces of a tenant, hold now ({@link QuotaUsage.Namespace}), and a hook for the changes
 * that give usage back (an object deleted, a pod finished, a service or claim changed).
 */
final class CountedObjects {

    private final KubernetesClient client;
    private final Map<String, SharedIndexInformer<? extends HasMetadata>> countable = new LinkedHashMap<>();

    CountedObjects(ControllerContext context) {
        this.client = context.client();
        countable.put("pods", context.informers().of(Pod.class));
        countable.put("services", context.informers().of(Service.class));
        countable.put("persistentvolumeclaims", context.informers().of(PersistentVolumeClaim.class));
        countable.put("configmaps", context.informers().of(ConfigMap.class));
        countable.put("secrets", context.informers().of(Secret.class));
        countable.put("replicationcontrollers", context.informers().of(ReplicationController.class));
        countable.put("resourcequotas", context.informers().of(ResourceQuota.class));
    }

    /**
     * Calls {@code changed} with the namespace of an object that stops counting or counts differently.
     * Not on add: admission already charged it, and recomputing from informers that may not yet hold
     * objects charged a moment ago would write those charges away (upstream's quota monitor skips adds
     * for the same reason). The quota informer's own events are the callers' business.
     */
    void onUsageReleased(Consumer<String> changed) {
        for (SharedIndexInformer<? extends HasMetadata> informer : countable.values()) {
            if (informer != countable.get("resourcequotas")) {
                informer.addEventHandler(new Released(changed));
            }
        }
    }

    /** What {@code namespaces} hold together now. */
    @SuppressWarnings("unchecked")
    QuotaUsage.Namespace in(Collection<String> namespaces) {
        Map<String, List<? extends HasMetadata>> objects = new LinkedHashMap<>();
        countable.forEach((resource, informer) -> {
            List<HasMetadata> all = new ArrayList<>();
            for (String namespace : namespaces) {
                all.addAll(informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace));
            }
            objects.put(resource, all);
        });
        return new QuotaUsage.Namespace((List<Pod>) objects.get("pods"), (List<Service>) objects.get("services"),
                (List<PersistentVolumeClaim>) objects.get("persistentvolumeclaims"), objects,
                resource -> countThroughApi(namespaces, resource));
    }

    static boolean usageChanged(HasMetadata old, HasMetadata updated) {
        if (old instanceof Pod before && updated instanceof Pod after) {
            return !PodUsage.terminal(before) && PodUsage.terminal(after);
        }
        if (old instanceof Service before && updated instanceof Service after) {
            return !Objects.equals(before.getSpec().getType(), after.getSpec().getType())
                    || ObjectUsage.nodePorts(before) != ObjectUsage.nodePorts(after);
        }
        if (old instanceof PersistentVolumeClaim before && updated instanceof PersistentVolumeClaim after) {
            return !Objects.equals(before.getSpec(), after.getSpec());
        }
        return false;
    }

    /** {@code count/<resource>.<group>} of a resource no informer here holds, or null if none is served. */
    private Integer countThroughApi(Collection<String> namespaces, String groupResource) {
        int dot = groupResource.indexOf('.');
        String plural = dot < 0 ? groupResource : groupResource.substring(0, dot);
        String group = dot < 0 ? "" : groupResource.substring(dot + 1);
        String version = "v1";
        if (!group.isEmpty()) {
            APIGroup apiGroup = client.getApiGroup(group);
            if (apiGroup == null || apiGroup.getPreferredVersion() == null) {
                return null;
            }
            version = apiGroup.getPreferredVersion().getVersion();
        }
        ResourceDefinitionContext resource = new ResourceDefinitionContext.Builder().withGroup(group)
                .withVersion(version).withPlural(plural).withNamespaced(true).build();
        int count = 0;
        try {
            for (String namespace : namespaces) {
                count += client.genericKubernetesResources(resource).inNamespace(namespace).list().getItems().size();
            }
            return count;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static final class Released implements ResourceEventHandler<HasMetadata> {
        private final Consumer<String> changed;

        Released(Consumer<String> changed) {
            this.changed = changed;
        }

        @Override
        public void onAdd(HasMetadata object) {
        }

        @Override
        public void onUpdate(HasMetadata old, HasMetadata object) {
            if (usageChanged(old, object)) {
                changed.accept(object.getMetadata().getNamespace());
            }
        }

        @Override
        public void onDelete(HasMetadata object, boolean finalStateUnknown) {
            changed.accept(object.getMetadata().getNamespace());
        }
    }
}
