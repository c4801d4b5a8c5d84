package dev.flotilla.apiserver.admission.quota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.admission.AdmissionAttributes;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import dev.flotilla.apiserver.admission.AdmissionPlugin;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Upstream's ResourceQuota admission on create, extended to tenants: every quota of the namespace,
 * and the aggregate TenantResourceQuota of the namespace's tenant (one usage over all its
 * namespaces, docs/tenancy.md), that counts the new object is checked ({@link QuotaCheck}) and charged
 * in {@code status.used} before the object is stored. The {@link QuotaEvaluator} batches the creates
 * of one namespace (one tenant) into one compare-and-swap per record, as upstream's evaluator does, so
 * concurrent creates neither serialize on the write nor pass hard. When the create fails later (a
 * later plugin refuses, the store refuses the write) the charges are given back if nothing but
 * admission has written those records since; what is left over otherwise, the quota controller gives
 * back when it recomputes usage.
 */
@Singleton
public class ResourceQuotaAdmission implements AdmissionPlugin {

    private final QuotaRecords records;
    private final QuotaEvaluator evaluator;

    public ResourceQuotaAdmission(QuotaRecords records, QuotaEvaluator evaluator) {
        this.records = records;
        this.evaluator = evaluator;
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
        String namespace = attributes.namespace();
        String tenant = records.tenantOf(namespace);
        List<QuotaRecord> cached = List.copyOf(records.cached(List.of(namespace), tenant).values());
        if (cached.isEmpty()) {
            // Most namespaces have no quota: no typed copy of the object, no queue.
            return;
        }
        ResourceType type = attributes.type();
        Object typed = typed(type, attributes.object());
        if (cached.stream().noneMatch(record -> QuotaCheck.counts(record.quota(), type.group(), type.resource(), typed))) {
            // Nothing here counts this kind (an Event in a namespace whose quota limits pods).
            return;
        }
        try {
            QuotaCharges charges = evaluator.charge(namespace, tenant, type, typed, attributes.dryRun());
            if (!charges.isEmpty()) {
                attributes.onFailure(() -> evaluator.release(charges, tenant));
            }
        } catch (QuotaCheck.Refusal refusal) {
            throw attributes.forbidden(refusal.getMessage());
        }
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
}
