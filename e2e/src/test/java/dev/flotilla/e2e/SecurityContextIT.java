package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * securityContext on a real node agent and containerd, seen from inside busybox containers through
 * /proc/self/status and id: capabilities dropped and added, no_new_privs, seccomp RuntimeDefault,
 * runAsUser/runAsGroup/supplementalGroups, the masked and read-only /proc paths, and runAsNonRoot
 * refusing an image that runs as root.
 */
class SecurityContextIT {

    private static NodeAgentCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start("security-1");
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster);
    }

    @Test
    void restrictedContainerRunsWithWhatItAskedFor() {
        apply("restricted.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: restricted}
                spec:
                  restartPolicy: Never
                  securityContext: {runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000], runAsNonRoot: true,
                                    seccompProfile: {type: RuntimeDefault}}
                  containers:
                  - name: main
                    image: busybox
                    securityContext:
                      allowPrivilegeEscalation: false
                      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
                    command: [sh, -c]
                    args:
                    - |
                      echo "ids=$(id -u):$(id -g) groups=$(id -G)"
                      grep -E '^(CapBnd|NoNewPrivs|Seccomp):' /proc/self/status | tr -s '\\t ' ' '
                      echo "keys-masked=$(grep -c ' /proc/keys ' /proc/mounts)"
                      echo "proc-sys=$(grep ' /proc/sys ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1)"
                      echo done
                """);
        String log = awaitLog("restricted", "done");
        assertThat(log).contains("ids=1000:3000")
                .contains("CapBnd: 0000000000000400") // only CAP_NET_BIND_SERVICE (bit 10)
                .contains("NoNewPrivs: 1")
                .contains("Seccomp: 2")
                .contains("keys-masked=1")
                .contains("proc-sys=ro");
        assertThat(log.lines().filter(l -> l.startsWith("ids=")).findFirst().orElseThrow()).contains("4000");
    }

    @Test
    void privilegedContainersSeeEverythingOthersGetTheDefaultMasks() {
        apply("defaults.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: defaults}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: busybox
                    command: [sh, -c, 'echo "plain masked=$(grep -c " /proc/keys " /proc/mounts) seccomp=$(grep ^Seccomp: /proc/self/status | cut -f2) nnp=$(grep ^NoNewPrivs: /proc/self/status | cut -f2)"']
                  - name: privileged
                    image: busybox
                    securityContext: {privileged: true}
                    command: [sh, -c, 'echo "privileged masked=$(grep -c " /proc/keys " /proc/mounts) caps=$(grep ^CapBnd: /proc/self/status | cut -f2)"']
                """);
        assertThat(awaitLog("defaults", "plain masked", "main")).contains("plain masked=1 seccomp=0 nnp=0");
        String privileged = awaitLog("defaults", "privileged masked", "privileged");
        assertThat(privileged).contains("privileged masked=0").doesNotContain("caps=0000000000000000");
    }

    @Test
    void runAsNonRootRefusesAnImageThatRunsAsRoot() {
        apply("nonroot.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: nonroot}
                spec:
                  containers:
                  - name: main
                    image: busybox
                    command: [sleep, "3600"]
                    securityContext: {runAsNonRoot: true}
                """);
        ContainerStateWaiting waiting = Await.value(NodeAgentCluster.POD_DEADLINE, "nonroot refused", () -> {
            Pod pod = cluster.client().pods().inNamespace(NodeAgentCluster.NAMESPACE).withName("nonroot").get();
            ContainerStateWaiting w = NodeAgentCluster.firstContainerStatus(pod).map(s -> s.getState().getWaiting())
                    .orElse(null);
            return w != null && "CreateContainerConfigError".equals(w.getReason()) ? w : null;
        });
        assertThat(waiting.getMessage()).startsWith("container has runAsNonRoot and image will run as root (pod: \"nonroot_default(")
                .endsWith(", container: main)");
        assertThat(cluster.kubectl("get", "pod", "nonroot").output()).contains("CreateContainerConfigError");
    }

    private static void apply(String name, String yaml) {
        cluster.kubectl("apply", "-f", cluster.controlPlane().file(name, yaml).toString()).assertSuccess();
    }

    private static String awaitLog(String pod, String text) {
        return awaitLog(pod, text, "main");
    }

    private static String awaitLog(String pod, String text, String container) {
        return Await.value(NodeAgentCluster.POD_DEADLINE, "log of " + pod + " containing " + text, () -> {
            var logs = cluster.kubectl("logs", pod, "-c", container);
            return logs.exitCode() == 0 && logs.output().contains(text) ? logs.output() : null;
        });
    }
}
