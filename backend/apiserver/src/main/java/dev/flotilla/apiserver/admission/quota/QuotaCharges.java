package dev.flotilla.apiserver.admission.quota;

import dev.flotilla.api.resource.ResourceType;
import java.util.Map;

/**
 * What admission charged for one object: per record key, the revision of the write that charged it,
 * so that the charge can be given back should the create fail later (only while that write is still
 * the record's latest run of admission's own writes, {@link QuotaWrites#releasable}).
 */
record QuotaCharges(String namespace, ResourceType type, Object typed, Map<String, Long> revisions) {

    boolean isEmpty() {
        return revisions.isEmpty();
    }
}
