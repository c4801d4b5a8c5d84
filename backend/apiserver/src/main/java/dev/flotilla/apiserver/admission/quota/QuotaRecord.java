package dev.flotilla.apiserver.admission.quota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import io.fabric8.kubernetes.api.model.ResourceQuota;

/**
 * One usage record ResourceQuota admission charges, as read: a ResourceQuota of the object's
 * namespace, or the TenantResourceQuota of the namespace's tenant (the same spec and status shape).
 * {@code displayName} is how refusals name it ({@code q}, {@code tenant-acme}).
 */
record QuotaRecord(ResourceType type, String namespace, String displayName, ObjectNode object) {

    String name() {
        return object.path("metadata").path("name").asText();
    }

    long revision() {
        return Long.parseLong(object.path("metadata").path("resourceVersion").asText());
    }

    /** Identifies the record across re-reads. */
    String key() {
        return type.resource() + "/" + namespace + "/" + name();
    }

    /** The record as a typed ResourceQuota named as refusals name it. */
    ResourceQuota quota() {
        ResourceQuota quota = Json.mapper().convertValue(object, ResourceQuota.class);
        quota.getMetadata().setName(displayName);
        return quota;
    }
}
