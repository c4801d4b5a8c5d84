package dev.flotilla.apiserver.admission.podsecurity;

import static dev.flotilla.apiserver.admission.podsecurity.PodFields.containers;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.context;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.joinQuote;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.name;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.pluralize;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.podContext;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.setters;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.visitContainers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The baseline level's checks (upstream's {@code pod-security-admission/policy}, latest version):
 * what a pod may not do without becoming privileged on its node. Reasons and details are upstream's.
 */
final class BaselineChecks {

    static final Set<String> DEFAULT_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");
    static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t");
    private static final String APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

    private BaselineChecks() {
    }

    static List<PodCheck> all() {
        return List.of(
                new PodCheck("appArmorProfile", Level.BASELINE, (m, s) -> appArmor(m, s)),
                new PodCheck("capabilities_baseline", Level.BASELINE, (m, s) -> capabilities(s)),
                new PodCheck("hostNamespaces", Level.BASELINE, (m, s) -> hostNamespaces(s)),
                new PodCheck("hostPathVolumes", Level.BASELINE, (m, s) -> hostPathVolumes(s)),
                new PodCheck("hostPorts", Level.BASELINE, (m, s) -> hostPorts(s)),
                new PodCheck("hostProbesAndHostLifecycle", Level.BASELINE, (m, s) -> probeHosts(s)),
                new PodCheck("privileged", Level.BASELINE, (m, s) -> privileged(s)),
                new PodCheck("procMount", Level.BASELINE, (m, s) -> procMount(s)),
                new PodCheck("seLinuxOptions", Level.BASELINE, (m, s) -> seLinux(s)),
                new PodCheck("seccompProfile_baseline", Level.BASELINE, (m, s) -> seccomp(s)),
                new PodCheck("sysctls", Level.BASELINE, (m, s) -> sysctls(s)),
                new PodCheck("windowsHostProcess", Level.BASELINE, (m, s) -> hostProcess(s)));
    }

    static Optional<Violation> appArmor(JsonNode metadata, JsonNode spec) {
        Set<String> bad = new TreeSet<>();
        badAppArmorType(podContext(spec)).ifPresent(bad::add);
        visitContainers(spec, c -> badAppArmorType(context(c)).ifPresent(bad::add));
        metadata.path("annotations").fields().forEachRemaining(e -> {
            String profile = e.getValue().asText("");
            if (e.getKey().startsWith(APPARMOR_ANNOTATION) && !profile.isEmpty() && !profile.equals("runtime/default")
                    && !profile.startsWith("localhost/")) {
                bad.add(e.getKey() + "=\"" + profile + "\"");
            }
        });
        return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation(
                pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", bad.size()),
                String.join(", ", bad)));
    }

    private static Optional<String> badAppArmorType(JsonNode securityContext) {
        String type = securityContext.path("appArmorProfile").path("type").asText("");
        return type.isEmpty() || type.equals("RuntimeDefault") || type.equals("Localhost") ? Optional.empty()
                : Optional.of(type);
    }

    static Optional<Violation> capabilities(JsonNode spec) {
        List<String> bad = new ArrayList<>();
        Set<String> added = new TreeSet<>();
        visitContainers(spec, c -> {
            boolean valid = true;
            for (JsonNode capability : context(c).path("capabilities").path("add")) {
                if (!DEFAULT_CAPABILITIES.contains(capability.asText())) {
                    valid = false;
                    added.add(capability.asText());
                }
            }
            if (!valid) {
                bad.add(name(c));
            }
        });
        return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("non-default capabilities",
                containers(bad) + " must not include " + joinQuote(added) + " in securityContext.capabilities.add"));
    }

    static Optional<Violation> hostNamespaces(JsonNode spec) {
        List<String> set = new ArrayList<>();
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (spec.path(field).asBoolean(false)) {
                set.add(field + "=true");
            }
        }
        return set.isEmpty() ? Optional.empty() : Optional.of(new Violation("host namespaces", String.join(", ", set)));
    }

    static Optional<Violation> hostPathVolumes(JsonNode spec) {
        List<String> volumes = new ArrayList<>();
        spec.path("volumes").forEach(v -> {
            if (v.hasNonNull("hostPath")) {
                volumes.add(name(v));
            }
        });
        return volumes.isEmpty() ? Optional.empty() : Optional.of(new Violation("hostPath volumes",
                pluralize("volume", "volumes", volumes.size()) + " " + joinQuote(volumes)));
    }

    static Optional<Violation> hostPorts(JsonNode spec) {
        List<String> bad = new ArrayList<>();
        Set<String> ports = new TreeSet<>();
        visitContainers(spec, c -> {
            boolean uses = false;
            for (JsonNode port : c.path("ports")) {
                if (port.path("hostPort").asInt(0) != 0) {
                    uses = true;
                    ports.add(port.path("hostPort").asText());
                }
            }
            if (uses) {
                bad.add(name(c));
            }
        });
        return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("hostPort", containers(bad) + " "
                + pluralize("uses", "use", bad.size()) + " " + pluralize("hostPort", "hostPorts", ports.size()) + " "
                + String.join(", ", ports)));
    }

    static Optional<Violation> probeHosts(JsonNode spec) {
        Set<String> bad = new TreeSet<>();
        Set<String> hosts = new TreeSet<>();
        visitContainers(spec, c -> {
            List<JsonNode> handlers = List.of(c.path("livenessProbe"), c.path("readinessProbe"), c.path("startupProbe"),
                    c.path("lifecycle").path("postStart"), c.path("lifecycle").path("preStop"));
            for (JsonNode handler : handlers) {
                for (String kind : List.of("httpGet", "tcpSocket")) {
                    String host = handler.path(kind).path("host").asText("");
                    if (!host.isEmpty()) {
                        bad.add(name(c));
                        hosts.add(host);
                    }
                }
            }
        });
        return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("probe or lifecycle host",
                containers(bad) + " " + pluralize("uses", "use", bad.size()) + " "
                        + pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts.size()) + " "
                        + joinQuote(hosts)));
    }

    static Optional<Violation> privileged(JsonNode spec) {
        List<String> bad = new ArrayList<>();
        visitContainers(spec, c -> {
            if (context(c).path("privileged").asBoolean(false)) {
                bad.add(name(c));
            }
        });
        return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("privileged",
                containers(bad) + " must not set securityContext.privileged=true"));
    }

    static Optional<Violation> procMount(JsonNode spec) {
        List<String> bad = new ArrayList<>();
        Set<String> values = new TreeSet<>();
        visitContainers(spec, c -> {
            String mount = context(c).path("procMount").asText("");
            if (!mount.isEmpty() && !mount.equals("Default")) {
                bad.add(name(c));
                values.add(mount);
            }
        });
        return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("procMount",
                containers(bad) + " must not set securityContext.procMount to " + joinQuote(values)));
    }

    static Optional<Violation> seLinux(JsonNode spec) {
        Set<String> badTypes = new TreeSet<>();
        boolean[] userAndRole = new boolean[2];
        boolean pod = badSeLinux(podContext(spec).path("seLinuxOptions"), badTypes, userAndRole);
        List<String> bad = new ArrayList<>();
        visitContainers(spec, c -> {
            if (badSeLinux(context(c).path("seLinuxOptions"), badTypes, userAndRole)) {
                bad.add(name(c));
            }
        });
        if (!pod && bad.isEmpty()) {
            return Optional.empty();
        }
        List<String> data = new ArrayList<>();
        if (!badTypes.isEmpty()) {
            data.add(pluralize("type", "types", badTypes.size()) + " " + joinQuote(badTypes));
        }
        if (userAndRole[0]) {
            data.add("user may not be set");
        }
        if (userAndRole[1]) {
            data.add("role may not be set");
        }
        return Optional.of(new Violation("seLinuxOptions", setters(pod, bad)
                + " set forbidden securityContext.seLinuxOptions: " + String.join("; ", data)));
    }

    private static boolean badSeLinux(JsonNode options, Set<String> badTypes, boolean[] userAndRole) {
        if (!options.isObject()) {
            return false;
        }
        boolean valid = true;
        String type = options.path("type").asText("");
        if (!SELINUX_TYPES.contains(type)) {
            valid = false;
            badTypes.add(type);
        }
        if (!options.path("user").asText("").isEmpty()) {
            valid = false;
            userAndRole[0] = true;
        }
        if (!options.path("role").asText("").isEmpty()) {
            valid = false;
            userAndRole[1] = true;
        }
        return !valid;
    }

    static Optional<Violation> seccomp(JsonNode spec) {
        boolean pod = podContext(spec).path("seccompProfile").path("type").asText("").equals("Unconfined");
        List<String> bad = new ArrayList<>();
        visitContainers(spec, c -> {
            if (context(c).path("seccompProfile").path("type").asText("").equals("Unconfined")) {
                bad.add(name(c));
            }
        });
        return !pod && bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("seccompProfile",
                setters(pod, bad) + " must not set securityContext.seccompProfile.type to \"Unconfined\""));
    }

    static Optional<Violation> sysctls(JsonNode spec) {
        List<String> bad = new ArrayList<>();
        for (JsonNode sysctl : podContext(spec).path("sysctls")) {
            if (!SAFE_SYSCTLS.contains(sysctl.path("name").asText(""))) {
                bad.add(sysctl.path("name").asText(""));
            }
        }
        return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("forbidden sysctls", String.join(", ", bad)));
    }

    static Optional<Violation> hostProcess(JsonNode spec) {
        boolean pod = podContext(spec).path("windowsOptions").path("hostProcess").asBoolean(false);
        List<String> bad = new ArrayList<>();
        visitContainers(spec, c -> {
            if (context(c).path("windowsOptions").path("hostProcess").asBoolean(false)) {
                bad.add(name(c));
            }
        });
        return !pod && bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("hostProcess",
                setters(pod, bad) + " must not set securityContext.windowsOptions.hostProcess=true"));
    }
}
