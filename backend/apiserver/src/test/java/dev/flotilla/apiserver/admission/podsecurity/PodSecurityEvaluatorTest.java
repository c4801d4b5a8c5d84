package dev.flotilla.apiserver.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each check of the Pod Security Standards, with upstream's reasons and details, one row per case. */
class PodSecurityEvaluatorTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A container that passes every restricted check, for rows that change one thing. */
    private static final String SAFE = "{name: c, image: busybox, securityContext: {allowPrivilegeEscalation: false, "
            + "runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}, capabilities: {drop: [ALL]}}}";

    static Stream<Arguments> cases() {
        return Stream.of(
                // baseline
                row("plain pod at baseline", Level.BASELINE, "{spec: {containers: [{name: c}]}}", ""),
                row("anything at privileged", Level.PRIVILEGED, "{spec: {hostNetwork: true, containers: [{name: c, "
                        + "securityContext: {privileged: true}}]}}", ""),
                row("host namespaces", Level.BASELINE, "{spec: {hostNetwork: true, hostPID: true, hostIPC: true, "
                        + "containers: [{name: c}]}}", "host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)"),
                row("privileged", Level.BASELINE, "{spec: {containers: [{name: a, securityContext: {privileged: true}}, "
                        + "{name: b, securityContext: {privileged: true}}]}}",
                        "privileged (containers \"a\", \"b\" must not set securityContext.privileged=true)"),
                row("privileged init container", Level.BASELINE, "{spec: {initContainers: [{name: i, securityContext: "
                        + "{privileged: true}}], containers: [{name: c}]}}",
                        "privileged (container \"i\" must not set securityContext.privileged=true)"),
                row("non-default capabilities", Level.BASELINE, "{spec: {containers: [{name: c, securityContext: "
                        + "{capabilities: {add: [NET_RAW, SYS_ADMIN, CHOWN]}}}]}}", "non-default capabilities "
                        + "(container \"c\" must not include \"NET_RAW\", \"SYS_ADMIN\" in securityContext.capabilities.add)"),
                row("default capabilities are fine", Level.BASELINE, "{spec: {containers: [{name: c, securityContext: "
                        + "{capabilities: {add: [CHOWN, NET_BIND_SERVICE]}}}]}}", ""),
                row("hostPath volumes", Level.BASELINE, "{spec: {containers: [{name: c}], volumes: [{name: h, "
                        + "hostPath: {path: /}}, {name: e, emptyDir: {}}]}}", "hostPath volumes (volume \"h\")"),
                row("host ports", Level.BASELINE, "{spec: {containers: [{name: a, ports: [{containerPort: 80, "
                        + "hostPort: 80}]}, {name: b, ports: [{containerPort: 443, hostPort: 443}, {containerPort: 9}]}]}}",
                        "hostPort (containers \"a\", \"b\" use hostPorts 443, 80)"),
                row("probe host", Level.BASELINE, "{spec: {containers: [{name: c, livenessProbe: {httpGet: {host: "
                        + "10.0.0.1, port: 80}}}]}}",
                        "probe or lifecycle host (container \"c\" uses probe or lifecycle host \"10.0.0.1\")"),
                row("procMount", Level.BASELINE, "{spec: {containers: [{name: c, securityContext: {procMount: "
                        + "Unmasked}}]}}", "procMount (container \"c\" must not set securityContext.procMount to \"Unmasked\")"),
                row("procMount Default is fine", Level.BASELINE, "{spec: {containers: [{name: c, securityContext: "
                        + "{procMount: Default}}]}}", ""),
                row("AppArmor", Level.BASELINE, "{metadata: {annotations: {container.apparmor.security.beta.kubernetes.io/c: "
                        + "unconfined}}, spec: {securityContext: {appArmorProfile: {type: Unconfined}}, containers: [{name: c}]}}",
                        "forbidden AppArmor profiles (Unconfined, container.apparmor.security.beta.kubernetes.io/c=\"unconfined\")"),
                row("AppArmor localhost is fine", Level.BASELINE, "{spec: {containers: [{name: c, securityContext: "
                        + "{appArmorProfile: {type: Localhost, localhostProfile: p}}}]}}", ""),
                row("SELinux", Level.BASELINE, "{spec: {securityContext: {seLinuxOptions: {type: spc_t}}, containers: "
                        + "[{name: c, securityContext: {seLinuxOptions: {user: root, role: admin}}}]}}",
                        "seLinuxOptions (pod and container \"c\" set forbidden securityContext.seLinuxOptions: "
                                + "type \"spc_t\"; user may not be set; role may not be set)"),
                row("SELinux container_t is fine", Level.BASELINE, "{spec: {securityContext: {seLinuxOptions: {type: "
                        + "container_t, level: 's0:c1'}}, containers: [{name: c}]}}", ""),
                row("seccomp Unconfined", Level.BASELINE, "{spec: {securityContext: {seccompProfile: {type: "
                        + "Unconfined}}, containers: [{name: c}]}}",
                        "seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")"),
                row("sysctls", Level.BASELINE, "{spec: {securityContext: {sysctls: [{name: kernel.msgmax, value: '1'}, "
                        + "{name: net.ipv4.tcp_syncookies, value: '1'}]}, containers: [{name: c}]}}",
                        "forbidden sysctls (kernel.msgmax)"),
                row("hostProcess", Level.BASELINE, "{spec: {containers: [{name: c, securityContext: {windowsOptions: "
                        + "{hostProcess: true}}}]}}",
                        "hostProcess (container \"c\" must not set securityContext.windowsOptions.hostProcess=true)"),
                row("several baseline violations in check order", Level.BASELINE, "{spec: {hostPID: true, containers: "
                        + "[{name: c, securityContext: {privileged: true}}], volumes: [{name: h, hostPath: {path: /}}]}}",
                        "host namespaces (hostPID=true), hostPath volumes (volume \"h\"), "
                                + "privileged (container \"c\" must not set securityContext.privileged=true)"),
                // restricted
                row("plain pod at restricted", Level.RESTRICTED, "{spec: {containers: [{name: c}]}}",
                        "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), "
                                + "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), "
                                + "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), "
                                + "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to "
                                + "\"RuntimeDefault\" or \"Localhost\")"),
                row("hardened pod at restricted", Level.RESTRICTED, "{spec: {containers: [" + SAFE + "]}}", ""),
                row("pod-level runAsNonRoot and seccomp cover containers", Level.RESTRICTED, "{spec: {securityContext: "
                        + "{runAsNonRoot: true, seccompProfile: {type: Localhost, localhostProfile: p.json}}, containers: "
                        + "[{name: c, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], "
                        + "add: [NET_BIND_SERVICE]}}}]}}", ""),
                row("added capability at restricted", Level.RESTRICTED, "{spec: {containers: [{name: c, image: busybox, "
                        + "securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: {type: "
                        + "RuntimeDefault}, capabilities: {drop: [ALL], add: [CHOWN]}}}]}}",
                        "unrestricted capabilities (container \"c\" must not include \"CHOWN\" in "
                                + "securityContext.capabilities.add)"),
                row("runAsNonRoot false", Level.RESTRICTED, "{spec: {securityContext: {runAsNonRoot: false, "
                        + "seccompProfile: {type: RuntimeDefault}}, containers: [{name: c, securityContext: "
                        + "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}}",
                        "runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)"),
                row("runAsUser 0", Level.RESTRICTED, "{spec: {securityContext: {runAsUser: 0}, containers: [{name: c, "
                        + "image: busybox, securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 0, "
                        + "seccompProfile: {type: RuntimeDefault}, capabilities: {drop: [ALL]}}}]}}",
                        "runAsUser=0 (pod and container \"c\" must not set runAsUser=0)"),
                row("user namespaces relax the user checks", Level.RESTRICTED, "{spec: {hostUsers: false, "
                        + "securityContext: {seccompProfile: {type: RuntimeDefault}, runAsUser: 0}, containers: [{name: c, "
                        + "securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}}", ""),
                row("seccomp Unconfined at restricted", Level.RESTRICTED, "{spec: {securityContext: {runAsNonRoot: true}, "
                        + "containers: [{name: c, securityContext: {allowPrivilegeEscalation: false, capabilities: "
                        + "{drop: [ALL]}, seccompProfile: {type: Unconfined}}}]}}",
                        "seccompProfile (container \"c\" must not set securityContext.seccompProfile.type to \"Unconfined\"), "
                                + "seccompProfile (container \"c\" must not set securityContext.seccompProfile.type to \"Unconfined\")"),
                row("restricted volume types", Level.RESTRICTED, "{spec: {containers: [" + SAFE + "], volumes: "
                        + "[{name: n, nfs: {server: s, path: /}}, {name: g, gitRepo: {repository: r}}, {name: s, secret: "
                        + "{secretName: x}}, {name: p, persistentVolumeClaim: {claimName: c}}]}}",
                        "restricted volume types (volumes [\"g\" \"n\"] have restricted types)"),
                row("hostPath at restricted is named twice", Level.RESTRICTED, "{spec: {containers: [" + SAFE + "], "
                        + "volumes: [{name: h, hostPath: {path: /}}]}}",
                        "hostPath volumes (volume \"h\"), restricted volume types (volumes [\"h\"] have restricted types)"),
                row("allowPrivilegeEscalation true", Level.RESTRICTED, "{spec: {securityContext: {runAsNonRoot: true, "
                        + "seccompProfile: {type: RuntimeDefault}}, ephemeralContainers: [{name: debug, securityContext: "
                        + "{allowPrivilegeEscalation: true, capabilities: {drop: [ALL]}}}], containers: [{name: c, "
                        + "securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}}",
                        "allowPrivilegeEscalation != false (container \"debug\" must set "
                                + "securityContext.allowPrivilegeEscalation=false)"));
    }

    private static Arguments row(String name, Level level, String pod, String expected) {
        return Arguments.of(name, level, pod, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluatesAsUpstream(String name, Level level, String pod, String expected) throws Exception {
        JsonNode object = YAML.readTree(pod);
        assertThat(PodSecurityEvaluator.describe(PodSecurityEvaluator.evaluate(level, object.path("metadata"),
                object.path("spec")))).isEqualTo(expected);
    }
}
