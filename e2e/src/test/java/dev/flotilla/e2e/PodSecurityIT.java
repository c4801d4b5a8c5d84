package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PodSecurity admission through kubectl: namespace labels enforce (403 in upstream's words) and warn
 * (kubectl prints the Warning headers), pod controllers are only warned, a stricter enforce label
 * warns about existing pods, bad labels are a 422, and exempt namespaces and the cluster default
 * come from the server's configuration.
 */
class PodSecurityIT {

    private static final String RESTRICTED_MESSAGE = "pods \"plain\" is forbidden: violates PodSecurity "
            + "\"restricted:latest\": allowPrivilegeEscalation != false (container \"plain\" must set "
            + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"plain\" must set "
            + "securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"plain\" must set "
            + "securityContext.runAsNonRoot=true), seccompProfile (pod or container \"plain\" must set "
            + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start("--flotilla.scheduler.enabled=false",
                "--flotilla.apiserver.pod-security.warn=baseline",
                "--flotilla.apiserver.pod-security.exempt-namespaces=exempt");
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster);
    }

    @Test
    void theEnforceLabelRefusesViolatingPodsAndAdmitsHardenedOnes() {
        namespace("strict", "pod-security.kubernetes.io/enforce=restricted");
        Command.Result refused = cluster.kubectl("-n", "strict", "run", "plain", "--image=busybox");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("Error from server (Forbidden): " + RESTRICTED_MESSAGE);
        assertThat(cluster.kubectl("-n", "strict", "get", "pod", "plain").output()).contains("NotFound");

        Command.Result hardened = cluster.kubectl("apply", "-f", cluster.file("hardened.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: hardened, namespace: strict}
                spec:
                  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
                  containers:
                  - name: c
                    image: busybox
                    securityContext:
                      allowPrivilegeEscalation: false
                      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
                """).toString()).assertSuccess();
        assertThat(hardened.output()).doesNotContain("Warning");

        // A Deployment is only warned (the warn level follows the stricter enforce label), as upstream.
        Command.Result deployment = cluster.kubectl("-n", "strict", "create", "deployment", "web", "--image=busybox");
        deployment.assertSuccess();
        assertThat(deployment.output()).contains("Warning: would violate PodSecurity \"restricted:latest\": "
                + "allowPrivilegeEscalation != false (container \"busybox\" must set "
                + "securityContext.allowPrivilegeEscalation=false)");
    }

    @Test
    void theWarnLevelAndTheClusterDefaultWarnWithoutRefusing() {
        namespace("warned", "pod-security.kubernetes.io/warn=restricted", "pod-security.kubernetes.io/warn-version=v1.30");
        Command.Result warned = cluster.kubectl("-n", "warned", "run", "plain", "--image=busybox");
        warned.assertSuccess();
        assertThat(warned.output()).contains("Warning: would violate PodSecurity \"restricted:v1.30\": "
                + "allowPrivilegeEscalation != false");

        // No labels: the configured cluster default (warn=baseline) applies.
        cluster.kubectl("create", "namespace", "unlabelled").assertSuccess();
        Command.Result privileged = cluster.kubectl("apply", "-f", cluster.file("privileged.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: root, namespace: unlabelled}
                spec:
                  hostNetwork: true
                  containers:
                  - {name: c, image: busybox, securityContext: {privileged: true}}
                """).toString());
        privileged.assertSuccess();
        assertThat(privileged.output()).contains("Warning: would violate PodSecurity \"baseline:latest\": "
                + "host namespaces (hostNetwork=true), privileged (container \"c\" must not set "
                + "securityContext.privileged=true)");

        // Labelling the namespace to enforce baseline warns about that pod; it is not removed.
        Command.Result labelled = cluster.kubectl("label", "namespace", "unlabelled",
                "pod-security.kubernetes.io/enforce=baseline");
        labelled.assertSuccess();
        assertThat(labelled.output()).contains("Warning: existing pods in namespace \"unlabelled\" violate the new "
                + "PodSecurity enforce level \"baseline:latest\"").contains("Warning: root: host namespaces, privileged");
        cluster.kubectl("-n", "unlabelled", "get", "pod", "root").assertSuccess();
        assertThat(cluster.kubectl("apply", "-f", cluster.file("privileged2.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: root2, namespace: unlabelled}
                spec:
                  containers:
                  - {name: c, image: busybox, securityContext: {privileged: true}}
                """).toString()).output()).contains("pods \"root2\" is forbidden: violates PodSecurity \"baseline:latest\": "
                + "privileged (container \"c\" must not set securityContext.privileged=true)");
    }

    @Test
    void invalidLabelsAreRefusedAndExemptNamespacesAreNotChecked() {
        Command.Result invalid = cluster.kubectl("apply", "-f", cluster.file("bad-ns.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: typo
                  labels: {pod-security.kubernetes.io/enforce: strict}
                """).toString());
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.output()).contains("Namespace \"typo\" is invalid: "
                + "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": "
                + "must be one of privileged, baseline, restricted");

        namespace("exempt", "pod-security.kubernetes.io/enforce=restricted");
        Command.Result exempt = cluster.kubectl("-n", "exempt", "run", "plain", "--image=busybox");
        exempt.assertSuccess();
        assertThat(exempt.output()).doesNotContain("Warning");
    }

    private static void namespace(String name, String... labels) {
        cluster.kubectl("create", "namespace", name).assertSuccess();
        String[] args = new String[labels.length + 3];
        args[0] = "label";
        args[1] = "namespace";
        args[2] = name;
        System.arraycopy(labels, 0, args, 3, labels.length);
        cluster.kubectl(args).assertSuccess();
    }
}
