package dev.flotilla.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRestrictionTest {

    private static final UserInfo NODE_A = new UserInfo("system:node:a", List.of("system:nodes"));
    private static final ResourceRegistry REGISTRY = new ResourceRegistry();

    private final NodeRestriction plugin = new NodeRestriction();

    @Test
    void aNodeChangesOnlyItselfAndOnlyTheLabelsAKubeletMaySet() throws Exception {
        ObjectNode a = json("{\"metadata\":{\"name\":\"a\",\"labels\":{\"kubernetes.io/hostname\":\"a\"}}}");
        allowed(AdmissionOperation.CREATE, "nodes", null, a, null);
        refused(AdmissionOperation.UPDATE, "nodes", null, json("{\"metadata\":{\"name\":\"b\"}}"),
                json("{\"metadata\":{\"name\":\"b\"}}"), "nodes \"b\" is forbidden: node \"a\" is not allowed to modify node \"b\"");
        refused(AdmissionOperation.CREATE, "nodes", null, json("{\"metadata\":{\"name\":\"a\",\"labels\":"
                + "{\"node-role.kubernetes.io/control-plane\":\"\",\"node.kubernetes.io/exclude\":\"x\"}}}"), null,
                "nodes \"a\" is forbidden: node \"a\" is not allowed to set the following labels: "
                        + "node-role.kubernetes.io/control-plane");
        refused(AdmissionOperation.UPDATE, "nodes", null, json("{\"metadata\":{\"name\":\"a\",\"labels\":"
                + "{\"node-restriction.kubernetes.io/pool\":\"gold\",\"example.com/rack\":\"r1\"}}}"), a,
                "nodes \"a\" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/pool");
        refused(AdmissionOperation.UPDATE, "nodes", null, json("{\"metadata\":{\"name\":\"a\"},\"spec\":{\"taints\":[]}}"),
                json("{\"metadata\":{\"name\":\"a\"},\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":\"NoSchedule\"}]}}"),
                "nodes \"a\" is forbidden: node \"a\" is not allowed to modify taints");
        allowed(AdmissionOperation.UPDATE, "nodes", "status", a, a);
    }

    @Test
    void podsOnlyMirrorPodsAndThoseBoundToIt() throws Exception {
        ObjectNode mine = json("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"a\"}}");
        ObjectNode theirs = json("{\"metadata\":{\"name\":\"q\"},\"spec\":{\"nodeName\":\"b\"}}");
        allowed(AdmissionOperation.UPDATE, "pods", "status", mine, mine);
        refused(AdmissionOperation.UPDATE, "pods", "status", theirs, theirs, "pods \"q\" is forbidden: node \"a\" "
                + "can only update pod status for pods with spec.nodeName set to itself");
        allowed(AdmissionOperation.DELETE, "pods", null, null, mine);
        refused(AdmissionOperation.DELETE, "pods", null, null, theirs,
                "pods \"q\" is forbidden: node \"a\" can only delete pods with spec.nodeName set to itself");
        refused(AdmissionOperation.CREATE, "pods", "eviction", json("{\"metadata\":{\"name\":\"q\"}}"), theirs,
                "pods \"q\" is forbidden: node \"a\" can only evict pods with spec.nodeName set to itself");
        refused(AdmissionOperation.UPDATE, "pods", null, mine, mine, "pods \"p\" is forbidden: unexpected operation "
                + "UPDATE, node \"a\" can only create and delete mirror pods");
        refused(AdmissionOperation.CREATE, "pods", null, mine, null, "pods \"p\" is forbidden: pod does not have "
                + "\"kubernetes.io/config.mirror\" annotation, node \"a\" can only create mirror pods");

        String mirror = "{\"metadata\":{\"name\":\"m\",\"annotations\":{\"kubernetes.io/config.mirror\":\"h\"},"
                + "\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"a\",\"uid\":\"u\","
                + "\"controller\":true}]},\"spec\":{\"nodeName\":\"a\",\"containers\":[{\"name\":\"c\"}]%s}}";
        allowed(AdmissionOperation.CREATE, "pods", null, json(mirror.formatted("")), null);
        refused(AdmissionOperation.CREATE, "pods", null, json(mirror.formatted(",\"volumes\":[{\"name\":\"v\","
                + "\"configMap\":{\"name\":\"cm\"}}]")), null,
                "pods \"m\" is forbidden: node \"a\" can not create pods that reference configmaps");
        refused(AdmissionOperation.CREATE, "pods", null, json(mirror.replace("\"a\",\"uid\"", "\"b\",\"uid\"")
                .formatted("")), null,
                "pods \"m\" is forbidden: node \"a\" can only create pods with an owner reference set to itself");
    }

    @Test
    void leasesOnlyItsOwnAndOtherUsersAreNotRestricted() throws Exception {
        ResourceType leases = REGISTRY.find("coordination.k8s.io", "v1", "leases").orElseThrow();
        assertThatThrownBy(() -> plugin.validate(new AdmissionAttributes(AdmissionOperation.CREATE, leases,
                "kube-node-lease", null, json("{\"metadata\":{\"name\":\"b\"}}"), null, NODE_A, false)))
                .hasMessage("leases.coordination.k8s.io \"b\" is forbidden: can only access node lease with the same "
                        + "name as the requesting node");
        UserInfo admin = new UserInfo("admin", List.of("system:masters"));
        ObjectNode theirs = json("{\"metadata\":{\"name\":\"q\"},\"spec\":{\"nodeName\":\"b\"}}");
        assertThatCode(() -> plugin.validate(new AdmissionAttributes(AdmissionOperation.DELETE, type("pods"), "ns",
                null, null, theirs, admin, false))).doesNotThrowAnyException();
    }

    private void allowed(AdmissionOperation operation, String resource, String subresource, ObjectNode object,
            ObjectNode old) {
        assertThatCode(() -> plugin.validate(attributes(operation, resource, subresource, object, old)))
                .doesNotThrowAnyException();
    }

    private void refused(AdmissionOperation operation, String resource, String subresource, ObjectNode object,
            ObjectNode old, String message) {
        assertThatThrownBy(() -> plugin.validate(attributes(operation, resource, subresource, object, old)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(403))
                .hasMessage(message);
    }

    private static AdmissionAttributes attributes(AdmissionOperation operation, String resource, String subresource,
            ObjectNode object, ObjectNode old) {
        ResourceType type = type(resource);
        return new AdmissionAttributes(operation, type, type.namespaced() ? "ns" : null, subresource, object, old,
                NODE_A, false);
    }

    private static ResourceType type(String resource) {
        return REGISTRY.find("", "v1", resource).orElseThrow();
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text);
    }
}
