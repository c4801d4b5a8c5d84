package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.resource.ResourceStore;
import dev.flotilla.storage.StoredObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Upstream's {@code customresourcecleanup.apiextensions.k8s.io} finalizer: once a CRD is marked for
 * deletion its custom resources are deleted (those with finalizers are marked and waited for), then
 * the finalizer is removed and the CRD goes. Safe to run on several servers at once: every write is
 * compare-and-swap, and a lost race is simply retried.
 */
final class CustomResourceCleanup {

    private final ResourceStore store;
    private final ResourceType definitions;

    CustomResourceCleanup(ResourceStore store, ResourceType definitions) {
        this.store = store;
        this.definitions = definitions;
    }

    /** One pass; true when done (or nothing to do), false when objects remain and it must run again. */
    boolean run(String name) {
        Optional<ObjectNode> found = store.get(definitions, null, name);
        if (found.isEmpty() || !found.get().path("metadata").hasNonNull("deletionTimestamp")
                || !hasCleanupFinalizer(found.get())) {
            return true;
        }
        ObjectNode crd = found.get();
        ResourceType type = CrdTypes.storageType(crd);
        int remaining = 0;
        for (StoredObject stored : store.list(type, null, 0, 0, null).items()) {
            ObjectNode object = ResourceStore.decode(stored);
            JsonNode meta = object.path("metadata");
            String namespace = type.namespaced() ? meta.path("namespace").asText() : null;
            try {
                if (meta.path("finalizers").size() > 0) {
                    remaining++;
                    if (!meta.hasNonNull("deletionTimestamp")) {
                        ((ObjectNode) meta).put("deletionTimestamp",
                                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                        ((ObjectNode) meta).put("deletionGracePeriodSeconds", 0);
                        store.update(type, namespace, meta.path("name").asText(), object, stored.modRevision());
                    }
                } else {
                    store.delete(type, namespace, meta.path("name").asText(), stored.modRevision());
                }
            } catch (ApiError e) {
                if (e.code() != 404) {
                    remaining++;
                }
            }
        }
        if (remaining > 0) {
            return false;
        }
        return removeFinalizer(crd);
    }

    private boolean removeFinalizer(ObjectNode crd) {
        ObjectNode metadata = (ObjectNode) crd.path("metadata");
        ArrayNode kept = metadata.arrayNode();
        metadata.path("finalizers").forEach(f -> {
            if (!f.asText().equals(CrdTypes.CLEANUP_FINALIZER)) {
                kept.add(f);
            }
        });
        long revision = Long.parseLong(metadata.path("resourceVersion").asText());
        String name = metadata.path("name").asText();
        try {
            if (kept.isEmpty()) {
                store.delete(definitions, null, name, revision);
            } else {
                metadata.set("finalizers", kept);
                store.update(definitions, null, name, crd, revision);
            }
            return true;
        } catch (ApiError e) {
            return e.code() == 404;
        }
    }

    private static boolean hasCleanupFinalizer(JsonNode crd) {
        for (JsonNode f : crd.path("metadata").path("finalizers")) {
            if (f.asText().equals(CrdTypes.CLEANUP_FINALIZER)) {
                return true;
            }
        }
        return false;
    }
}
