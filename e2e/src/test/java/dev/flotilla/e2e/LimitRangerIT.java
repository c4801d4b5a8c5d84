package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Closeables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LimitRanger admission through the real API server and kubectl: defaults, the annotation, upstream's refusals. */
class LimitRangerIT {

    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start("--flotilla.scheduler.enabled=false");
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster);
    }

    @Test
    void podsGetTheRangesDefaultsAndAreRefusedOutsideItsBoundsAsUpstreamWordsIt() {
        cluster.kubectl("create", "namespace", "limited").assertSuccess();
        cluster.kubectl("apply", "-f", cluster.file("range.yaml", """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: bounds, namespace: limited}
                spec:
                  limits:
                  - type: Container
                    default: {cpu: 500m, memory: 256Mi}
                    defaultRequest: {cpu: 100m, memory: 128Mi}
                    max: {cpu: 500m}
                    maxLimitRequestRatio: {cpu: "10"}
                  - type: PersistentVolumeClaim
                    max: {storage: 2Gi}
                """).toString()).assertSuccess();

        cluster.kubectl("-n", "limited", "run", "plain", "--image=busybox").assertSuccess();
        assertThat(cluster.kubectl("-n", "limited", "get", "pod", "plain", "-o",
                "jsonpath={.spec.containers[0].resources}").assertSuccess().output()).isEqualTo(
                "{\"limits\":{\"cpu\":\"500m\",\"memory\":\"256Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}");
        assertThat(cluster.kubectl("-n", "limited", "get", "pod", "plain", "-o",
                "jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}").assertSuccess().output()).isEqualTo(
                "LimitRanger plugin set: cpu, memory request for container plain; cpu, memory limit for container plain");

        var tooBig = cluster.kubectl("apply", "-f", cluster.file("big.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: big, namespace: limited}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    resources: {limits: {cpu: "1"}, requests: {cpu: 50m}}
                """).toString());
        assertThat(tooBig.exitCode()).isNotZero();
        assertThat(tooBig.output()).contains("pods \"big\" is forbidden: [maximum cpu usage per Container is 500m, "
                + "but limit is 1, cpu max limit to request ratio per Container is 10, but provided ratio is 20.000000]");

        var bigClaim = cluster.kubectl("apply", "-f", cluster.file("claim.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data, namespace: limited}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
                """).toString());
        assertThat(bigClaim.exitCode()).isNotZero();
        assertThat(bigClaim.output()).contains("Error from server (Forbidden): error when creating")
                .contains("persistentvolumeclaims \"data\" is forbidden: "
                        + "maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi");

        // Another namespace has no LimitRange: nothing is defaulted there.
        cluster.kubectl("-n", "default", "run", "free", "--image=busybox").assertSuccess();
        assertThat(cluster.kubectl("-n", "default", "get", "pod", "free", "-o",
                "jsonpath={.spec.containers[0].resources}").assertSuccess().output()).isIn("", "{}");
    }
}
