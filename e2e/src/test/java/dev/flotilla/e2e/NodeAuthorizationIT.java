package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Node authorizer and NodeRestriction admission, with kubectl holding a node's client
 * certificate (CN system:node:a, O system:nodes): a node reads only what its own pods use and
 * writes only itself and its own pods, refused in upstream's words.
 */
class NodeAuthorizationIT {

    private static ControlPlane cluster;
    private static Path nodeA;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start("--flotilla.scheduler.enabled=false");
        nodeA = cluster.kubeconfigFor("system:node:a", "system:nodes");
        cluster.kubectl("create", "namespace", "ns").assertSuccess();
        cluster.kubectl("-n", "ns", "create", "secret", "generic", "used", "--from-literal=k=v").assertSuccess();
        cluster.kubectl("-n", "ns", "create", "secret", "generic", "s", "--from-literal=k=v").assertSuccess();
        cluster.kubectl("-n", "ns", "create", "configmap", "settings", "--from-literal=k=v").assertSuccess();
        // Both nodes exist, or the pod garbage collector would remove the pods bound to them.
        cluster.kubectl("apply", "-f", cluster.file("nodes-and-pods.yaml", """
                apiVersion: v1
                kind: Node
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: b}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: ns}
                spec:
                  nodeName: a
                  containers:
                  - name: c
                    image: busybox
                    envFrom: [{configMapRef: {name: settings}}]
                  volumes:
                  - {name: s, secret: {secretName: used}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: other, namespace: ns}
                spec:
                  nodeName: b
                  containers: [{name: c, image: busybox}]
                """).toString()).assertSuccess();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster);
    }

    @Test
    void aNodeReadsTheSecretsAndConfigMapsOfItsOwnPodsOnly() {
        Await.until(Duration.ofSeconds(30), "node a may read the secret its pod mounts",
                () -> asNode("-n", "ns", "get", "secret", "used").exitCode() == 0);
        asNode("-n", "ns", "get", "configmap", "settings").assertSuccess();
        assertThat(asNode("-n", "ns", "auth", "can-i", "get", "secret/used").output().trim()).endsWith("yes");

        Command.Result other = asNode("-n", "ns", "get", "secret", "s");
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.output()).contains("Error from server (Forbidden): secrets \"s\" is forbidden: "
                + "User \"system:node:a\" cannot get resource \"secrets\" in API group \"\" in the namespace \"ns\": "
                + "no relationship found between node 'a' and this object");
        assertThat(asNode("-n", "ns", "get", "secrets").output()).contains("secrets is forbidden: "
                + "User \"system:node:a\" cannot list resource \"secrets\" in API group \"\" in the namespace \"ns\"");

        // The node-wide reads upstream allows stay open.
        asNode("get", "pods", "-A").assertSuccess();
        asNode("get", "nodes").assertSuccess();

        // Once the pod is gone, so is the node's access.
        cluster.kubectl("-n", "ns", "delete", "pod", "web", "--grace-period=0", "--force").assertSuccess();
        Await.until(Duration.ofSeconds(30), "node a loses the secret with its pod",
                () -> asNode("-n", "ns", "get", "secret", "used").exitCode() != 0);
    }

    @Test
    void aNodeModifiesOnlyItselfAndItsOwnPods() {
        asNode("label", "node", "a", "kubernetes.io/hostname=a", "example.com/rack=r1").assertSuccess();

        Command.Result otherNode = asNode("label", "node", "b", "example.com/rack=r1");
        assertThat(otherNode.exitCode()).isNotZero();
        assertThat(otherNode.output()).contains("nodes \"b\" is forbidden: node \"a\" is not allowed to modify node \"b\"");

        Command.Result restricted = asNode("label", "node", "a", "node-restriction.kubernetes.io/pool=gold");
        assertThat(restricted.exitCode()).isNotZero();
        assertThat(restricted.output()).contains("nodes \"a\" is forbidden: is not allowed to modify labels: "
                + "node-restriction.kubernetes.io/pool");

        Command.Result foreignPod = asNode("-n", "ns", "delete", "pod", "other");
        assertThat(foreignPod.exitCode()).isNotZero();
        assertThat(foreignPod.output()).contains("pods \"other\" is forbidden: node \"a\" can only delete pods with "
                + "spec.nodeName set to itself");

        Command.Result notMirror = asNode("-n", "ns", "run", "sneaky", "--image=busybox", "--overrides",
                "{\"spec\": {\"nodeName\": \"a\"}}");
        assertThat(notMirror.exitCode()).isNotZero();
        assertThat(notMirror.output()).contains("pods \"sneaky\" is forbidden: pod does not have "
                + "\"kubernetes.io/config.mirror\" annotation, node \"a\" can only create mirror pods");

        Command.Result stealing = asNode("apply", "-f", cluster.file("mirror.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: mirror
                  namespace: ns
                  annotations: {kubernetes.io/config.mirror: "x"}
                spec:
                  nodeName: a
                  containers: [{name: c, image: busybox}]
                  volumes: [{name: s, secret: {secretName: s}}]
                """).toString());
        assertThat(stealing.exitCode()).isNotZero();
        assertThat(stealing.output()).contains("pods \"mirror\" is forbidden: node \"a\" can not create pods that "
                + "reference secrets");
    }

    private static Command.Result asNode(String... args) {
        return cluster.kubectlWith(nodeA, args);
    }
}
