package dev.flotilla.api.nodeauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.rbac.AccessRequest;
import dev.flotilla.api.rbac.Decision;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeAuthorizerTest {

    private static final UserInfo NODE_A = new UserInfo("system:node:a", List.of("system:nodes", "system:authenticated"));

    private final NodeGraph graph = new NodeGraph();
    private final NodeAuthorizer authorizer = new NodeAuthorizer(graph);

    @BeforeEach
    void pods() throws Exception {
        graph.putPod(Json.mapper().readTree("""
                {"metadata": {"namespace": "ns", "name": "web"},
                 "spec": {"nodeName": "a", "serviceAccountName": "builder",
                  "imagePullSecrets": [{"name": "pull"}],
                  "containers": [{"name": "c", "env": [{"name": "X", "valueFrom": {"secretKeyRef": {"name": "env-secret", "key": "k"}}}],
                                  "envFrom": [{"configMapRef": {"name": "settings"}}]}],
                  "volumes": [{"name": "s", "secret": {"secretName": "mounted"}},
                              {"name": "p", "projected": {"sources": [{"configMap": {"name": "projected"}}]}},
                              {"name": "d", "persistentVolumeClaim": {"claimName": "data"}},
                              {"name": "e", "ephemeral": {"volumeClaimTemplate": {}}}]}}
                """));
        graph.putPod(Json.mapper().readTree("""
                {"metadata": {"namespace": "ns", "name": "other"},
                 "spec": {"nodeName": "b", "volumes": [{"name": "s", "secret": {"secretName": "b-only"}}]}}
                """));
        graph.putPod(Json.mapper().readTree("""
                {"metadata": {"namespace": "ns", "name": "pending"},
                 "spec": {"volumes": [{"name": "s", "secret": {"secretName": "unbound"}}]}}
                """));
        graph.putClaim(Json.mapper().readTree("{\"metadata\": {\"namespace\": \"ns\", \"name\": \"data\"}, "
                + "\"spec\": {\"volumeName\": \"pv-1\"}}"));
    }

    @Test
    void aNodeReadsWhatItsPodsUse() {
        for (String secret : List.of("pull", "env-secret", "mounted")) {
            assertThat(decide("get", "", "secrets", "", "ns", secret).allowed()).as(secret).isTrue();
        }
        assertThat(decide("watch", "", "configmaps", "", "ns", "settings").allowed()).isTrue();
        assertThat(decide("get", "", "configmaps", "", "ns", "projected").allowed()).isTrue();
        assertThat(decide("get", "", "persistentvolumeclaims", "", "ns", "data").allowed()).isTrue();
        assertThat(decide("get", "", "persistentvolumeclaims", "", "ns", "web-e").allowed()).isTrue();
        assertThat(decide("get", "", "persistentvolumes", "", "", "pv-1").allowed()).isTrue();
        assertThat(decide("create", "", "serviceaccounts", "token", "ns", "builder").allowed()).isTrue();
    }

    @Test
    void persistentVolumesAreListedAndUpdatedForTheLocalPathCleanupButReadByNameOnlyIfUsed() {
        assertThat(decide("list", "", "persistentvolumes", "", "", "").allowed()).isTrue();
        assertThat(decide("update", "", "persistentvolumes", "", "", "pv-2").allowed()).isTrue();
        assertThat(decide("get", "", "persistentvolumes", "", "", "pv-1").allowed()).isTrue();
        assertThat(decide("get", "", "persistentvolumes", "", "", "pv-2").allowed()).isFalse();
    }

    @Test
    void anythingElseIsRefusedWithUpstreamsReason() {
        assertThat(decide("get", "", "secrets", "", "ns", "b-only"))
                .isEqualTo(new Decision(false, "no relationship found between node 'a' and this object"));
        assertThat(decide("get", "", "secrets", "", "ns", "unbound").allowed()).isFalse();
        assertThat(decide("get", "", "secrets", "", "elsewhere", "mounted").allowed()).isFalse();
        assertThat(decide("list", "", "secrets", "", "ns", "").reason()).isEqualTo("No Object name found");
        assertThat(decide("update", "", "secrets", "", "ns", "mounted").reason())
                .isEqualTo("can only read resources of this type");
        assertThat(decide("get", "", "persistentvolumes", "", "", "pv-2").allowed()).isFalse();
        assertThat(decide("get", "", "serviceaccounts", "", "ns", "builder").reason())
                .isEqualTo("can only create tokens for individual service accounts");
        assertThat(decide("create", "", "serviceaccounts", "token", "ns", "default").allowed()).isFalse();
    }

    @Test
    void leasesOnlyItsOwnInTheNodeLeaseNamespace() {
        assertThat(decide("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "a").allowed()).isTrue();
        assertThat(decide("create", "coordination.k8s.io", "leases", "", "kube-node-lease", "").allowed()).isTrue();
        assertThat(decide("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "b").reason())
                .isEqualTo("can only access node lease with the same name as the requesting node");
        assertThat(decide("get", "coordination.k8s.io", "leases", "", "default", "a").reason())
                .isEqualTo("can only access leases in the kube-node-lease namespace");
    }

    @Test
    void theNodeRulesCoverTheRestAndOtherUsersGetNoOpinion() {
        assertThat(decide("list", "", "pods", "", "", "").allowed()).isTrue();
        assertThat(decide("patch", "", "nodes", "status", "", "a").allowed()).isTrue();
        assertThat(decide("create", "", "namespaces", "", "", "").allowed()).isFalse();
        assertThat(authorizer.authorize(AccessRequest.resource(new UserInfo("system:node:a", List.of()), "get", "",
                "secrets", "", "ns", "mounted"))).isEmpty();
        Optional<Decision> alice = authorizer.authorize(AccessRequest.resource(new UserInfo("alice",
                List.of("system:nodes")), "get", "", "secrets", "", "ns", "mounted"));
        assertThat(alice).isEmpty();
    }

    @Test
    void aPodLeavingTheNodeTakesItsReferencesAlong() throws Exception {
        graph.removePod("ns/web");
        assertThat(decide("get", "", "secrets", "", "ns", "mounted").allowed()).isFalse();
        graph.putPod(Json.mapper().readTree("{\"metadata\": {\"namespace\": \"ns\", \"name\": \"other\"}, "
                + "\"spec\": {\"nodeName\": \"a\", \"volumes\": [{\"name\": \"s\", \"secret\": {\"secretName\": \"b-only\"}}]}}"));
        assertThat(decide("get", "", "secrets", "", "ns", "b-only").allowed()).isTrue();
    }

    private Decision decide(String verb, String group, String resource, String subresource, String namespace,
            String name) {
        return authorizer.authorize(AccessRequest.resource(NODE_A, verb, group, resource, subresource, namespace, name))
                .orElseThrow();
    }
}
