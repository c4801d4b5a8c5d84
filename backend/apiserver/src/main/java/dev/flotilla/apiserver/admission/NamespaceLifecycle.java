package dev.flotilla.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Upstream's NamespaceLifecycle: nothing is created in a namespace that does not exist or is being
 * terminated, and the system namespaces may not be deleted. (Upstream also refuses updates in a
 * missing namespace; here an object cannot outlive its namespace, so that read is saved.)
 */
@Singleton
public class NamespaceLifecycle implements AdmissionPlugin {

    static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");

    private final ResourceStore store;
    private final ResourceRegistry registry;

    public NamespaceLifecycle(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "NamespaceLifecycle";
    }

    @Override
    public void validate(AdmissionAttributes attributes) {
        if (attributes.type().group().isEmpty() && attributes.type().resource().equals("namespaces")) {
            if (attributes.operation() == AdmissionOperation.DELETE && IMMORTAL.contains(attributes.name())) {
                throw attributes.forbidden("this namespace may not be deleted");
            }
            return;
        }
        if (!attributes.type().namespaced() || attributes.namespace() == null
                || attributes.operation() != AdmissionOperation.CREATE) {
            return;
        }
        // From the watch cache, as upstream reads its namespace informer; etcd when not cached yet.
        ObjectNode namespace = store.getWithOwnWrites(namespaces(), null, attributes.namespace())
                .orElseThrow(() -> ApiError.notFound("", "namespaces", attributes.namespace()));
        if (namespace.path("metadata").hasNonNull("deletionTimestamp")) {
            throw attributes.forbidden("unable to create new content in namespace " + attributes.namespace()
                    + " because it is being terminated");
        }
    }

    private ResourceType namespaces() {
        return registry.find("", "v1", "namespaces").orElseThrow();
    }
}
