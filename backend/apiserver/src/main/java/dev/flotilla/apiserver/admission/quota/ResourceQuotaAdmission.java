package dev.flotilla.apiserver.admission.quota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.admission.AdmissionAttributes;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import dev.flotilla.apiserver.admission.AdmissionPlugin;
import dev.flotilla.apiserver.resource.ResourceStore;
import dev.flotilla.storage.StoredObject;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Upstream's ResourceQuota admission on create: every quota of the namespace that counts the new
 * object is checked ({@link QuotaCheck}) and, before the object is stored, charged by writing the
 * new {@code status.used} with a compare-and-swap on the quota. A lost swap (another API server
 * charged meanwhile) re-reads that quota and checks again, so concurrent creates never pass hard.
 * Requests of one namespace are charged one at a time here, as upstream's per-namespace queue does,
 * so they do not lose swaps to each other. What a failed store leaves charged, the ResourceQuota
 * controller gives back when it recomputes usage.
 */
@Singleton
public class ResourceQuotaAdmission implements AdmissionPlugin {

    private static final int ATTEMPTS = 20;
    private static final int LOCK_STRIPES = 64;

    private final ResourceStore store;
    private final ResourceRegistry registry;
    private final ReentrantLock[] namespaceLocks = new ReentrantLock[LOCK_STRIPES];

    public ResourceQuotaAdmission(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            namespaceLocks[i] = new ReentrantLock();
        }
    }

    @Override
    public String name() {
        return "ResourceQuota";
    }

    @Override
    public void validate(AdmissionAttributes attributes) {
        if (attributes.operation() != AdmissionOperation.CREATE || attributes.subresource() != null
                || !attributes.type().namespaced() || attributes.namespace() == null) {
            return;
        }
        if (cachedQuotasOf(attributes.namespace()).isEmpty()) {
            // Most namespaces have no quota: no typed copy of the object, no lock.
            return;
        }
        Object typed = typed(attributes.type(), attributes.object());
        ReentrantLock lock = namespaceLocks[Math.floorMod(attributes.namespace().hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            chargeAll(attributes, typed);
        } catch (QuotaCheck.Refusal refusal) {
            throw attributes.forbidden(refusal.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private void chargeAll(AdmissionAttributes attributes, Object typed) {
        Set<String> charged = new HashSet<>();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            boolean lostRace = false;
            // The cache first, as upstream's quota lister; after a lost race the quotas as etcd has them.
            List<StoredObject> quotas = attempt == 0 ? cachedQuotasOf(attributes.namespace())
                    : quotasOf(attributes.namespace());
            for (StoredObject stored : quotas) {
                ObjectNode quota = ResourceStore.decode(stored);
                String name = quota.path("metadata").path("name").asText();
                if (charged.contains(name)) {
                    continue;
                }
                Optional<Map<String, Quantity>> used = QuotaCheck.charge(
                        Json.mapper().convertValue(quota, ResourceQuota.class), attributes.type().group(),
                        attributes.type().resource(), typed);
                if (used.isEmpty() || attributes.dryRun()) {
                    continue;
                }
                quota.with("status").set("used", Json.mapper().valueToTree(used.get()));
                try {
                    store.update(quotas(), attributes.namespace(), name, quota, stored.modRevision());
                    charged.add(name);
                } catch (ApiError e) {
                    if (e.isObjectModified()) {
                        lostRace = true;
                    } else if (e.code() != 404) {
                        throw e;
                    }
                }
            }
            if (!lostRace) {
                return;
            }
        }
        throw new QuotaCheck.Refusal("resource quota evaluation timed out");
    }

    /** Read from etcd: after a lost compare-and-swap the cache may still show the old quota. */
    private List<StoredObject> quotasOf(String namespace) {
        return store.list(quotas(), namespace, 0, 0, null).items();
    }

    /**
     * The namespace's quotas as the watch cache shows them, including every quota write made through
     * this server: a stale one loses its compare-and-swap and is read again from etcd, so charges
     * stay exact. A quota created through another API server a moment ago may not show yet, as with
     * upstream's lister; the quota controller's recount then includes the object.
     */
    private List<StoredObject> cachedQuotasOf(String namespace) {
        return store.cachedWithOwnWrites(quotas(), namespace).items();
    }

    private static Object typed(ResourceType type, ObjectNode object) {
        if (!type.group().isEmpty()) {
            return object;
        }
        return switch (type.resource()) {
            case "pods" -> Json.mapper().convertValue(object, Pod.class);
            case "services" -> Json.mapper().convertValue(object, Service.class);
            case "persistentvolumeclaims" -> Json.mapper().convertValue(object, PersistentVolumeClaim.class);
            default -> object;
        };
    }

    private ResourceType quotas() {
        return registry.find("", "v1", "resourcequotas").orElseThrow();
    }
}
