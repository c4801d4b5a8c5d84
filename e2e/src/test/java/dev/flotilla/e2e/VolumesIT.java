package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.node.runtime.Mounts;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.TempDirs;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volumes on a real node agent and containerd, each seen from inside a busybox container through its
 * log: configMap, secret, downwardAPI, projected (with a service account token TokenReview accepts),
 * emptyDir on disk and in memory, hostPath with types, persistentVolumeClaim on a hostPath PV, subPath,
 * subPathExpr, readOnly and fsGroup; a ConfigMap update reaching a running pod; volumes that cannot be
 * set up keeping the pod waiting with the reason until they can; nothing left mounted once pods go.
 */
class VolumesIT {

    private static final Duration UPDATE_DEADLINE = Duration.ofSeconds(60);

    private static NodeAgentCluster cluster;
    private static KubernetesClient client;
    private static Path hostDir;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start("volumes-1");
        client = cluster.client();
        hostDir = TempDirs.create("flotilla-hostpath-");
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster, () -> {
            if (hostDir != null) {
                TempDirs.deleteRecursively(hostDir);
            }
        });
    }

    @Test
    void eachVolumeKindIsSeenInsideTheContainer() throws Exception {
        Files.writeString(hostDir.resolve("marker"), "from the host\n");
        cluster.apply("kinds.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {color: blue, size: large}
                binaryData: {raw: AAEC}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: credentials}
                stringData: {user: admin, password: s3cret}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: kinds
                  labels: {app: web, tier: "front"}
                spec:
                  restartPolicy: Never
                  securityContext: {fsGroup: 2000}
                  containers:
                  - name: main
                    image: busybox
                    env:
                    - name: POD_NAME
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    resources: {limits: {cpu: 500m, memory: 64Mi}}
                    command: [sh, -c]
                    args:
                    - |
                      echo "color=$(cat /cfg/color) size=$(cat /cfg/size) raw=$(od -An -tx1 /cfg/raw | tr -d ' ')"
                      echo "items=$(ls /cfg-items) nested=$(cat /cfg-items/deep/c) mode=$(stat -L -c %%a /cfg-items/deep/c)"
                      echo "data-link=$(readlink /cfg/..data | cut -c1-2)"
                      echo "user=$(cat /sec/user) mode=$(stat -L -c %%a /sec/user) group=$(stat -L -c %%g /sec/user)"
                      echo "secret-fs=$(grep ' /sec ' /proc/mounts | cut -d' ' -f3)"
                      echo "name=$(cat /info/name) cpu=$(cat /info/cpu_milli)"
                      echo "labels=$(cat /info/labels | tr '\\n' ',')"
                      echo hello > /scratch/file && echo "scratch=$(cat /scratch/file) group=$(stat -c %%g /scratch)"
                      echo "memory=$(grep ' /mem ' /proc/mounts | cut -d' ' -f3,4 | grep -o 'tmpfs.*size=[0-9a-z]*')"
                      echo "host=$(cat /host/marker)" && echo from-pod > /host/written
                      echo "sub=$(ls -d /sub-one) expr=$(ls -d /by-name)" && echo in-sub > /sub-one/f
                      touch /cfg/new 2>/dev/null && echo cfg-writable || echo cfg-read-only
                      touch /host-ro/new 2>/dev/null && echo host-writable || echo host-read-only
                    volumeMounts:
                    - {name: cfg, mountPath: /cfg}
                    - {name: cfg-items, mountPath: /cfg-items}
                    - {name: sec, mountPath: /sec}
                    - {name: info, mountPath: /info}
                    - {name: scratch, mountPath: /scratch}
                    - {name: scratch, mountPath: /sub-one, subPath: one/two}
                    - {name: scratch, mountPath: /by-name, subPathExpr: $(POD_NAME)}
                    - {name: mem, mountPath: /mem}
                    - {name: host, mountPath: /host}
                    - {name: host, mountPath: /host-ro, readOnly: true}
                  volumes:
                  - name: cfg
                    configMap: {name: settings}
                  - name: cfg-items
                    configMap:
                      name: settings
                      items: [{key: color, path: deep/c, mode: 0400}]
                  - name: sec
                    secret: {secretName: credentials, defaultMode: 0440}
                  - name: info
                    downwardAPI:
                      items:
                      - {path: name, fieldRef: {fieldPath: metadata.name}}
                      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                      - {path: cpu_milli, resourceFieldRef: {containerName: main, resource: limits.cpu, divisor: 1m}}
                  - name: scratch
                    emptyDir: {}
                  - name: mem
                    emptyDir: {medium: Memory, sizeLimit: 8Mi}
                  - name: host
                    hostPath: {path: %s, type: Directory}
                """.formatted(hostDir));

        String log = awaitLog("kinds", "host-read-only");
        assertThat(log).contains("color=blue size=large raw=000102")
                .contains("items=deep nested=blue mode=440") // 0400 plus group read for fsGroup, as upstream
                .contains("data-link=..")
                .contains("user=admin mode=440 group=2000")
                .contains("secret-fs=tmpfs")
                .contains("name=kinds cpu=500")
                .contains("labels=app=\"web\",tier=\"front\"")
                .contains("scratch=hello group=2000")
                .contains("memory=tmpfs rw")
                .contains("size=8192k")
                .contains("host=from the host")
                .contains("sub=/sub-one expr=/by-name")
                .contains("cfg-read-only")
                .contains("host-read-only");
        assertThat(Files.readString(hostDir.resolve("written"))).isEqualTo("from-pod\n");
        Pod pod = client.pods().inNamespace(NodeAgentCluster.NAMESPACE).withName("kinds").get();
        Path scratch = volumesDir(pod).resolve("kubernetes.io~empty-dir/scratch");
        assertThat(scratch.resolve("one/two/f")).as("subPath inside the emptyDir").hasContent("in-sub");
        assertThat(scratch.resolve("kinds")).as("subPathExpr expanded with the pod's name").isDirectory();
    }

    @Test
    void aConfigMapUpdateReachesARunningPodWithinAMinute() {
        client.configMaps().inNamespace(NodeAgentCluster.NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("live").endMetadata().withData(Map.of("greeting", "first")).build()).create();
        cluster.apply("live.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: live}
                spec:
                  containers:
                  - name: main
                    image: busybox
                    command: [sh, -c, 'while true; do echo "greeting=$(cat /cfg/greeting)"; sleep 1; done']
                    volumeMounts: [{name: cfg, mountPath: /cfg}]
                  volumes:
                  - {name: cfg, configMap: {name: live}}
                """);
        awaitLog("live", "greeting=first");

        client.configMaps().inNamespace(NodeAgentCluster.NAMESPACE).withName("live")
                .edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("greeting", "second")).build());
        Instant updated = Instant.now();
        Await.until(UPDATE_DEADLINE, "the running pod seeing the new ConfigMap value",
                () -> cluster.kubectl("logs", "live", "--tail=3").output().contains("greeting=second"));
        assertThat(Duration.between(updated, Instant.now())).isLessThan(UPDATE_DEADLINE);
    }

    @Test
    void projectedServiceAccountTokenIsAcceptedForItsAudience() {
        cluster.apply("projected.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: projected-ca}
                data: {ca.crt: not-really-a-ca}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: projected}
                spec:
                  restartPolicy: Never
                  serviceAccountName: default
                  containers:
                  - name: main
                    image: busybox
                    command: [sh, -c, 'echo "ns=$(cat /var/run/secrets/tokens/namespace) ca=$(cat /var/run/secrets/tokens/ca.crt)"; echo "token=$(cat /var/run/secrets/tokens/vault-token)"']
                    volumeMounts: [{name: tokens, mountPath: /var/run/secrets/tokens}]
                  volumes:
                  - name: tokens
                    projected:
                      sources:
                      - serviceAccountToken: {audience: vault, expirationSeconds: 3600, path: vault-token}
                      - configMap: {name: projected-ca, items: [{key: ca.crt, path: ca.crt}]}
                      - downwardAPI: {items: [{path: namespace, fieldRef: {fieldPath: metadata.namespace}}]}
                """);
        String log = awaitLog("projected", "token=");
        assertThat(log).contains("ns=default ca=not-really-a-ca");
        String token = log.lines().filter(l -> l.startsWith("token=")).findFirst().orElseThrow().substring(6).strip();
        assertThat(token).isNotEmpty();

        TokenReview forVault = review(token, "vault");
        assertThat(forVault.getStatus().getAuthenticated()).isTrue();
        assertThat(forVault.getStatus().getUser().getUsername()).isEqualTo("system:serviceaccount:default:default");
        assertThat(forVault.getStatus().getUser().getExtra()).containsEntry("authentication.kubernetes.io/pod-name",
                java.util.List.of("projected"));
        assertThat(review(token, "some-other-audience").getStatus().getAuthenticated())
                .as("a token for vault is not accepted for another audience").isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void aVolumeThatCannotBeSetUpKeepsThePodWaitingWithTheReasonUntilItCan() {
        cluster.apply("waiting.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: wrong-type}
                spec:
                  containers:
                  - {name: main, image: busybox, command: [sleep, "3600"], volumeMounts: [{name: h, mountPath: /h}]}
                  volumes:
                  - name: h
                    hostPath: {path: /etc/hostname, type: Directory}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: later-config}
                spec:
                  restartPolicy: Never
                  containers:
                  - {name: main, image: busybox, command: [cat, /cfg/k], volumeMounts: [{name: c, mountPath: /cfg}]}
                  volumes:
                  - {name: c, configMap: {name: created-later}}
                """);
        ContainerStateWaiting wrongType = awaitWaitingMessage("wrong-type", "hostPath type check failed");
        assertThat(wrongType.getReason()).isEqualTo("ContainerCreating");
        assertThat(wrongType.getMessage()).isEqualTo("MountVolume.SetUp failed for volume \"h\" : hostPath type check "
                + "failed: /etc/hostname is not a directory");
        ContainerStateWaiting missing = awaitWaitingMessage("later-config", "not found");
        assertThat(missing.getMessage()).isEqualTo("MountVolume.SetUp failed for volume \"c\" : configmap \"created-later\" "
                + "not found");
        assertThat(cluster.kubectl("get", "pod", "later-config").output()).contains("ContainerCreating");

        client.configMaps().inNamespace(NodeAgentCluster.NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("created-later").endMetadata().withData(Map.of("k", "arrived")).build()).create();
        assertThat(awaitLog("later-config", "arrived")).isEqualTo("arrived");
        assertThat(firstWaiting(client.pods().inNamespace(NodeAgentCluster.NAMESPACE).withName("wrong-type").get()))
                .as("still waiting, never started").isNotNull();
        assertThat(cluster.kubectl("describe", "pod", "wrong-type").assertSuccess().output())
                .containsPattern("Warning\\s+FailedMount\\s+.*kubelet\\s+MountVolume.SetUp failed for volume \"h\" : "
                        + "hostPath type check failed: /etc/hostname is not a directory");
    }

    @Test
    void aClaimBoundToAHostPathVolumeIsMountedAndAnUnboundOneWaits() throws Exception {
        Path data = Files.createDirectories(hostDir.resolve("pv-data"));
        cluster.apply("claims.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
                  volumeName: data-pv
                  storageClassName: ""
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: unbound}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
                  storageClassName: ""
                """);
        String claimUid = client.persistentVolumeClaims().inNamespace(NodeAgentCluster.NAMESPACE).withName("data").get()
                .getMetadata().getUid();
        cluster.apply("pv.yaml", """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: data-pv}
                spec:
                  capacity: {storage: 1Gi}
                  accessModes: [ReadWriteOnce]
                  storageClassName: ""
                  hostPath: {path: %s, type: Directory}
                  claimRef: {namespace: default, name: data, uid: %s}
                """.formatted(data, claimUid));
        cluster.kubectl("patch", "pvc", "data", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"phase\":\"Bound\"}}").assertSuccess();
        cluster.apply("claim-pods.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: with-claim}
                spec:
                  restartPolicy: Never
                  containers:
                  - {name: main, image: busybox, command: [sh, -c, 'echo kept > /data/f && echo wrote'],
                     volumeMounts: [{name: d, mountPath: /data}]}
                  volumes:
                  - {name: d, persistentVolumeClaim: {claimName: data}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: with-unbound}
                spec:
                  # Bound to the node directly: the scheduler would hold it back until the claim is bound.
                  nodeName: volumes-1
                  containers:
                  - {name: main, image: busybox, command: [sleep, "3600"], volumeMounts: [{name: d, mountPath: /data}]}
                  volumes:
                  - {name: d, persistentVolumeClaim: {claimName: unbound}}
                """);
        awaitLog("with-claim", "wrote");
        assertThat(data.resolve("f")).hasContent("kept");
        assertThat(awaitWaitingMessage("with-unbound", "non-bound").getMessage()).isEqualTo("MountVolume.SetUp failed for "
                + "volume \"d\" : PVC default/unbound has non-bound phase (\"Pending\") or empty pvc.Spec.VolumeName (\"\")");
    }

    @Test
    void nothingIsLeftMountedOrOnDiskOnceThePodIsDeleted() {
        cluster.apply("cleanup.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: cleanup}
                stringData: {k: v}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: cleanup}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: busybox
                    command: [sleep, "3600"]
                    volumeMounts: [{name: s, mountPath: /s}, {name: m, mountPath: /m}, {name: d, mountPath: /d}]
                  volumes:
                  - {name: s, secret: {secretName: cleanup}}
                  - {name: m, emptyDir: {medium: Memory}}
                  - {name: d, emptyDir: {}}
                """);
        Pod running = cluster.awaitPod("cleanup", NodeAgentCluster.inPhase("Running"));
        Path podDir = volumesDir(running).getParent();
        assertThat(Mounts.under(podDir)).as("the secret, the memory emptyDir and the kube-api-access token volume are "
                + "tmpfs mounts").hasSize(3);

        cluster.kubectl("delete", "pod", "cleanup", "--wait=true", "--timeout=60s").assertSuccess();
        Await.until(Duration.ofSeconds(30), "the pod's volume directory removed", () -> !Files.exists(podDir));
        assertThat(Mounts.under(podDir)).isEmpty();
    }

    /** The pod's log once it contains {@code text}. */
    private static String awaitLog(String pod, String text) {
        try {
            return Await.value(NodeAgentCluster.POD_DEADLINE, "log of " + pod + " containing " + text, () -> {
                var logs = cluster.kubectl("logs", pod);
                return logs.exitCode() == 0 && logs.output().contains(text) ? logs.output().strip() : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; log: " + cluster.kubectl("logs", pod).output() + "; pod: "
                    + cluster.kubectl("get", "pod", pod, "-o", "yaml").output(), e);
        }
    }

    private static ContainerStateWaiting awaitWaitingMessage(String pod, String part) {
        return Await.value(NodeAgentCluster.POD_DEADLINE, pod + " waiting with " + part, () -> {
            Pod current = client.pods().inNamespace(NodeAgentCluster.NAMESPACE).withName(pod).get();
            ContainerStateWaiting waiting = firstWaiting(current);
            return waiting != null && waiting.getMessage() != null && waiting.getMessage().contains(part) ? waiting : null;
        });
    }

    private static ContainerStateWaiting firstWaiting(Pod pod) {
        return NodeAgentCluster.firstContainerStatus(pod).map(s -> s.getState().getWaiting()).orElse(null);
    }

    private static Path volumesDir(Pod pod) {
        return cluster.stateDir().resolve("kubelet/pods").resolve(pod.getMetadata().getUid()).resolve("volumes");
    }

    private static TokenReview review(String token, String audience) {
        return client.tokenReviews().create(new TokenReviewBuilder().withNewSpec().withToken(token)
                .withAudiences(audience).endSpec().build());
    }
}
