package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Upstream's pod spec defaults and basic validation, shared by Pods and every pod template. */
final class PodDefaults {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");

    private PodDefaults() {
    }

    static void apply(ObjectNode spec) {
        Fields.defaultText(spec, "restartPolicy", "Always");
        Fields.defaultText(spec, "dnsPolicy", "ClusterFirst");
        Fields.defaultText(spec, "schedulerName", "default-scheduler");
        Fields.defaultInt(spec, "terminationGracePeriodSeconds", 30);
        Fields.defaultBool(spec, "enableServiceLinks", true);
        if (!spec.has("securityContext")) {
            spec.putObject("securityContext");
        }
        VolumeDefaults.apply(spec);
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : spec.path(list)) {
                if (container instanceof ObjectNode c) {
                    Fields.defaultText(c, "terminationMessagePath", "/dev/termination-log");
                    Fields.defaultText(c, "terminationMessagePolicy", "File");
                    Fields.defaultText(c, "imagePullPolicy", pullPolicy(c.path("image").asText("")));
                    if (!c.has("resources")) {
                        c.putObject("resources");
                    }
                    for (JsonNode port : c.path("ports")) {
                        if (port instanceof ObjectNode p) {
                            Fields.defaultText(p, "protocol", "TCP");
                        }
                    }
                }
            }
        }
    }

    /** Always for :latest or untagged images, IfNotPresent otherwise (digests included), as upstream. */
    static String pullPolicy(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        boolean tagged = colon > slash;
        return !tagged || image.endsWith(":latest") ? "Always" : "IfNotPresent";
    }

    static List<FieldError> validateSpec(JsonNode spec, String path) {
        List<FieldError> errors = new ArrayList<>();
        if (spec.isMissingNode() || spec.isNull()) {
            errors.add(FieldError.required(path + ".containers", ""));
            return errors;
        }
        if (spec.path("containers").isEmpty()) {
            errors.add(FieldError.required(path + ".containers", ""));
        }
        Set<String> names = new HashSet<>();
        for (String list : List.of("initContainers", "containers")) {
            JsonNode containers = spec.path(list);
            for (int i = 0; i < containers.size(); i++) {
                JsonNode container = containers.get(i);
                String at = path + "." + list + "[" + i + "]";
                String name = container.path("name").asText("");
                if (name.isEmpty()) {
                    errors.add(FieldError.required(at + ".name", ""));
                } else if (!DNS_LABEL.matcher(name).matches() || name.length() > 63) {
                    errors.add(FieldError.invalid(at + ".name", name, "a lowercase RFC 1123 label must consist of "
                            + "lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
                            + "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
                } else if (!names.add(name)) {
                    errors.add(new FieldError(at + ".name", FieldError.Type.DUPLICATE, name, null));
                }
                if (container.path("image").asText("").isBlank()) {
                    errors.add(FieldError.required(at + ".image", ""));
                }
                JsonNode ports = container.path("ports");
                for (int p = 0; p < ports.size(); p++) {
                    long port = ports.get(p).path("containerPort").asLong(0);
                    if (port < 1 || port > 65535) {
                        errors.add(FieldError.invalid(at + ".ports[" + p + "].containerPort", port,
                                "must be between 1 and 65535, inclusive"));
                    }
                }
            }
        }
        JsonNode volumes = spec.path("volumes");
        for (int i = 0; i < volumes.size(); i++) {
            JsonNode ephemeral = volumes.get(i).path("ephemeral");
            if (ephemeral.isObject()) {
                errors.addAll(ClaimSpecValidation.validateEphemeral(ephemeral, path + ".volumes[" + i + "].ephemeral"));
            }
        }
        String restart = spec.path("restartPolicy").asText("Always");
        if (!RESTART_POLICIES.contains(restart)) {
            errors.add(FieldError.notSupported(path + ".restartPolicy", restart, RESTART_POLICIES));
        }
        return errors;
    }
}
