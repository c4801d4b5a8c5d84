package dev.flotilla.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import org.junit.jupiter.api.Test;

class StorageObjectInUseProtectionTest {

    private static final ResourceRegistry REGISTRY = new ResourceRegistry();
    private final StorageObjectInUseProtection plugin = new StorageObjectInUseProtection();

    @Test
    void addsThePvcProtectionFinalizerOnceToCreatedClaims() throws Exception {
        ObjectNode claim = json("{\"metadata\":{\"name\":\"c\",\"finalizers\":[\"example.com/keep\"]}}");
        plugin.admit(attributes(AdmissionOperation.CREATE, "persistentvolumeclaims", null, claim));
        plugin.admit(attributes(AdmissionOperation.CREATE, "persistentvolumeclaims", null, claim));
        assertThat(claim.path("metadata").path("finalizers").toString())
                .isEqualTo("[\"example.com/keep\",\"kubernetes.io/pvc-protection\"]");
    }

    @Test
    void addsThePvProtectionFinalizerToCreatedVolumes() throws Exception {
        ObjectNode volume = json("{\"metadata\":{\"name\":\"v\"}}");
        plugin.admit(attributes(AdmissionOperation.CREATE, "persistentvolumes", null, volume));
        assertThat(volume.path("metadata").path("finalizers").toString()).isEqualTo("[\"kubernetes.io/pv-protection\"]");
    }

    @Test
    void leavesUpdatesSubresourcesAndOtherKindsAlone() throws Exception {
        ObjectNode updated = json("{\"metadata\":{\"name\":\"c\"}}");
        plugin.admit(attributes(AdmissionOperation.UPDATE, "persistentvolumeclaims", null, updated));
        ObjectNode status = json("{\"metadata\":{\"name\":\"c\"}}");
        plugin.admit(attributes(AdmissionOperation.CREATE, "persistentvolumeclaims", "status", status));
        ObjectNode pod = json("{\"metadata\":{\"name\":\"p\"}}");
        plugin.admit(attributes(AdmissionOperation.CREATE, "pods", null, pod));
        assertThat(updated.path("metadata").has("finalizers")).isFalse();
        assertThat(status.path("metadata").has("finalizers")).isFalse();
        assertThat(pod.path("metadata").has("finalizers")).isFalse();
    }

    private static AdmissionAttributes attributes(AdmissionOperation operation, String resource, String subresource,
            ObjectNode object) {
        ResourceType type = REGISTRY.find("", "v1", resource).orElseThrow();
        return new AdmissionAttributes(operation, type, "ns", subresource, object, null, UserInfo.ANONYMOUS, false);
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text);
    }
}
