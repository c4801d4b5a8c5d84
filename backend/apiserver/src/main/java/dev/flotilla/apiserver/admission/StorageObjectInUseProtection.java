package dev.flotilla.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.storage.StorageProtection;
import jakarta.inject.Singleton;

/**
 * Upstream's StorageObjectInUseProtection admission: a created PersistentVolumeClaim gets the
 * {@code kubernetes.io/pvc-protection} finalizer and a created PersistentVolume
 * {@code kubernetes.io/pv-protection}, once; the pvc-protection and pv-protection controllers remove
 * them when nothing uses the object any more, so deleting a claim a pod mounts (or a Bound volume)
 * leaves it Terminating until then.
 */
@Singleton
public class StorageObjectInUseProtection implements AdmissionPlugin {

    @Override
    public String name() {
        return "StorageObjectInUseProtection";
    }

    @Override
    public void admit(AdmissionAttributes attributes) {
        if (attributes.operation() != AdmissionOperation.CREATE || attributes.object() == null) {
            return;
        }
        if (attributes.is("", "persistentvolumeclaims")) {
            addFinalizer(attributes.object(), StorageProtection.PVC_FINALIZER);
        } else if (attributes.is("", "persistentvolumes")) {
            addFinalizer(attributes.object(), StorageProtection.PV_FINALIZER);
        }
    }

    static void addFinalizer(ObjectNode object, String finalizer) {
        ObjectNode metadata = object.with("metadata");
        JsonNode existing = metadata.get("finalizers");
        ArrayNode finalizers = existing instanceof ArrayNode list ? list : metadata.putArray("finalizers");
        for (JsonNode name : finalizers) {
            if (finalizer.equals(name.asText())) {
                return;
            }
        }
        finalizers.add(finalizer);
    }
}
