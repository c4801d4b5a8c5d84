package dev.flotilla.apiserver.admission.podsecurity;

import static dev.flotilla.apiserver.admission.podsecurity.PodFields.containers;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.context;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.joinQuote;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.name;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.podContext;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.setters;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.userNamespaced;
import static dev.flotilla.apiserver.admission.podsecurity.PodFields.visitContainers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The restricted level's checks on top of baseline (upstream's latest version): hardening a pod
 * must opt into. Reasons and details are upstream's.
 */
final class RestrictedChecks {

    static final Set<String> VOLUME_TYPES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");

    private RestrictedChecks() {
    }

    static List<PodCheck> all() {
        return List.of(
                new PodCheck("allowPrivilegeEscalation", Level.RESTRICTED, (m, s) -> privilegeEscalation(s)),
                new PodCheck("capabilities_restricted", Level.RESTRICTED, (m, s) -> capabilities(s)),
                new PodCheck("restrictedVolumes", Level.RESTRICTED, (m, s) -> volumes(s)),
                new PodCheck("runAsNonRoot", Level.RESTRICTED, (m, s) -> runAsNonRoot(s)),
                new PodCheck("runAsUser", Level.RESTRICTED, (m, s) -> runAsUser(s)),
                new PodCheck("seccompProfile_restricted", Level.RESTRICTED, (m, s) -> seccomp(s)));
    }

    static Optional<Violation> privilegeEscalation(JsonNode spec) {
        List<String> bad = new ArrayList<>();
        visitContainers(spec, c -> {
            JsonNode allow = context(c).get("allowPrivilegeEscalation");
            if (allow == null || !allow.isBoolean() || allow.asBoolean()) {
                bad.add(name(c));
            }
        });
        return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("allowPrivilegeEscalation != false",
                containers(bad) + " must set securityContext.allowPrivilegeEscalation=false"));
    }

    static Optional<Violation> capabilities(JsonNode spec) {
        List<String> missingDropAll = new ArrayList<>();
        List<String> adding = new ArrayList<>();
        Set<String> added = new TreeSet<>();
        visitContainers(spec, c -> {
            JsonNode capabilities = context(c).path("capabilities");
            boolean droppedAll = false;
            for (JsonNode dropped : capabilities.path("drop")) {
                droppedAll |= dropped.asText().equals("ALL");
            }
            if (!droppedAll) {
                missingDropAll.add(name(c));
            }
            boolean forbidden = false;
            for (JsonNode capability : capabilities.path("add")) {
                if (!capability.asText().equals("NET_BIND_SERVICE")) {
                    forbidden = true;
                    added.add(capability.asText());
                }
            }
            if (forbidden) {
                adding.add(name(c));
            }
        });
        List<String> details = new ArrayList<>();
        if (!missingDropAll.isEmpty()) {
            details.add(containers(missingDropAll) + " must set securityContext.capabilities.drop=[\"ALL\"]");
        }
        if (!adding.isEmpty()) {
            details.add(containers(adding) + " must not include " + joinQuote(added)
                    + " in securityContext.capabilities.add");
        }
        return details.isEmpty() ? Optional.empty()
                : Optional.of(new Violation("unrestricted capabilities", String.join("; ", details)));
    }

    static Optional<Violation> volumes(JsonNode spec) {
        Set<String> bad = new TreeSet<>();
        for (JsonNode volume : spec.path("volumes")) {
            boolean allowed = false;
            for (String type : VOLUME_TYPES) {
                allowed |= volume.hasNonNull(type);
            }
            if (!allowed) {
                bad.add(name(volume));
            }
        }
        // Go's %q of a string slice: ["a" "b"].
        return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("restricted volume types",
                "volumes [" + String.join(" ", bad.stream().map(v -> "\"" + v + "\"").toList()) + "] have restricted types"));
    }

    static Optional<Violation> runAsNonRoot(JsonNode spec) {
        if (userNamespaced(spec)) {
            return Optional.empty();
        }
        JsonNode podValue = podContext(spec).get("runAsNonRoot");
        boolean podFalse = podValue != null && podValue.isBoolean() && !podValue.asBoolean();
        boolean podTrue = podValue != null && podValue.isBoolean() && podValue.asBoolean();
        List<String> explicitlyBad = new ArrayList<>();
        List<String> implicitlyBad = new ArrayList<>();
        visitContainers(spec, c -> {
            JsonNode value = context(c).get("runAsNonRoot");
            if (value != null && value.isBoolean()) {
                if (!value.asBoolean()) {
                    explicitlyBad.add(name(c));
                }
            } else if (!podTrue) {
                implicitlyBad.add(name(c));
            }
        });
        if (podFalse || !explicitlyBad.isEmpty()) {
            return Optional.of(new Violation("runAsNonRoot != true",
                    setters(podFalse, explicitlyBad) + " must not set securityContext.runAsNonRoot=false"));
        }
        return implicitlyBad.isEmpty() ? Optional.empty() : Optional.of(new Violation("runAsNonRoot != true",
                "pod or " + containers(implicitlyBad) + " must set securityContext.runAsNonRoot=true"));
    }

    static Optional<Violation> runAsUser(JsonNode spec) {
        if (userNamespaced(spec)) {
            return Optional.empty();
        }
        boolean pod = isRoot(podContext(spec));
        List<String> bad = new ArrayList<>();
        visitContainers(spec, c -> {
            if (isRoot(context(c))) {
                bad.add(name(c));
            }
        });
        return !pod && bad.isEmpty() ? Optional.empty()
                : Optional.of(new Violation("runAsUser=0", setters(pod, bad) + " must not set runAsUser=0"));
    }

    private static boolean isRoot(JsonNode securityContext) {
        JsonNode user = securityContext.get("runAsUser");
        return user != null && user.isNumber() && user.asLong() == 0;
    }

    static Optional<Violation> seccomp(JsonNode spec) {
        Set<String> badValues = new TreeSet<>();
        JsonNode podProfile = podContext(spec).path("seccompProfile");
        boolean podBad = false;
        boolean podSet = false;
        if (podProfile.isObject()) {
            String type = podProfile.path("type").asText("");
            podBad = !validSeccomp(type);
            podSet = !podBad;
            if (podBad) {
                badValues.add(type);
            }
        }
        boolean podValid = podSet;
        List<String> explicitlyBad = new ArrayList<>();
        List<String> implicitlyBad = new ArrayList<>();
        visitContainers(spec, c -> {
            JsonNode profile = context(c).path("seccompProfile");
            if (profile.isObject()) {
                String type = profile.path("type").asText("");
                if (!validSeccomp(type)) {
                    explicitlyBad.add(name(c));
                    badValues.add(type);
                }
            } else if (!podValid) {
                implicitlyBad.add(name(c));
            }
        });
        if (podBad || !explicitlyBad.isEmpty()) {
            return Optional.of(new Violation("seccompProfile", setters(podBad, explicitlyBad)
                    + " must not set securityContext.seccompProfile.type to " + joinQuote(badValues)));
        }
        return implicitlyBad.isEmpty() ? Optional.empty() : Optional.of(new Violation("seccompProfile",
                "pod or " + containers(implicitlyBad)
                        + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\""));
    }

    private static boolean validSeccomp(String type) {
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }
}
