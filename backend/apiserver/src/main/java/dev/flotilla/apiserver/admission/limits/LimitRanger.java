package dev.flotilla.apiserver.admission.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.admission.AdmissionAttributes;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import dev.flotilla.apiserver.admission.AdmissionPlugin;
import dev.flotilla.apiserver.resource.ResourceStore;
import dev.flotilla.storage.StoredObject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Upstream's LimitRanger admission: the namespace's LimitRanges default container requests and
 * limits on pod create, and refuse pods (create) and claims (create, update) outside their min,
 * max or maxLimitRequestRatio with 403 and upstream's messages.
 */
@Singleton
public class LimitRanger implements AdmissionPlugin {

    private final ResourceStore store;
    private final ResourceRegistry registry;

    public LimitRanger(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "LimitRanger";
    }

    @Override
    public void admit(AdmissionAttributes attributes) {
        if (attributes.operation() == AdmissionOperation.CREATE && attributes.is("", "pods")) {
            for (ObjectNode limitRange : limitRanges(attributes.namespace())) {
                ContainerDefaults.apply(attributes.object(), limitRange);
            }
        }
    }

    @Override
    public void validate(AdmissionAttributes attributes) {
        boolean pod = attributes.operation() == AdmissionOperation.CREATE && attributes.is("", "pods");
        boolean claim = (attributes.operation() == AdmissionOperation.CREATE
                || attributes.operation() == AdmissionOperation.UPDATE) && attributes.is("", "persistentvolumeclaims");
        if (!pod && !claim) {
            return;
        }
        List<String> violations = new ArrayList<>();
        for (ObjectNode limitRange : limitRanges(attributes.namespace())) {
            violations.addAll(pod ? LimitChecks.pod(attributes.object(), limitRange)
                    : LimitChecks.claim(attributes.object(), limitRange));
        }
        if (!violations.isEmpty()) {
            throw attributes.forbidden(aggregate(violations));
        }
    }

    /** Go's utilerrors aggregate: one message as it is, several de-duplicated in brackets. */
    static String aggregate(List<String> messages) {
        Set<String> unique = new LinkedHashSet<>(messages);
        return unique.size() == 1 ? unique.iterator().next() : "[" + String.join(", ", unique) + "]";
    }

    private List<ObjectNode> limitRanges(String namespace) {
        ResourceType type = registry.find("", "v1", "limitranges").orElseThrow();
        // The watch cache, at least as fresh as this server's own last LimitRange write: one created
        // through this server just before the pod applies to it; one made through another server a
        // moment ago may not yet, as with upstream's lister.
        List<ObjectNode> result = new ArrayList<>();
        for (StoredObject stored : store.cachedWithOwnWrites(type, namespace).items()) {
            result.add(ResourceStore.decode(stored));
        }
        return result;
    }
}
