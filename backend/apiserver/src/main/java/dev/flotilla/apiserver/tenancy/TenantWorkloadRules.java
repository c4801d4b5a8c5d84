package dev.flotilla.apiserver.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Tenant's spec asks of its pods and Services: its node pool forced onto pods (nodeSelector,
 * as upstream's PodNodeSelector, and tolerations added), images only from the allowed registries,
 * and hostPath, hostNetwork, NodePort and LoadBalancer refused unless {@code spec.allow} permits them.
 * Each check returns the reason for a 403, or empty.
 */
final class TenantWorkloadRules {

    private TenantWorkloadRules() {
    }

    /** Merges the tenant's nodeSelector into the pod's; a pod asking for another value of a key is refused. */
    static Optional<String> forceNodePool(JsonNode tenant, ObjectNode pod) {
        JsonNode wanted = tenant.path("spec").path("nodeSelector");
        if (wanted.isObject() && !wanted.isEmpty()) {
            ObjectNode selector = pod.with("spec").with("nodeSelector");
            Iterator<Map.Entry<String, JsonNode>> fields = wanted.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode own = selector.get(field.getKey());
                if (own != null && !own.asText().equals(field.getValue().asText())) {
                    return Optional.of("pod node label selector conflicts with its tenant's node selector ("
                            + field.getKey() + "=" + field.getValue().asText() + ")");
                }
                selector.put(field.getKey(), field.getValue().asText());
            }
        }
        JsonNode tolerations = tenant.path("spec").path("tolerations");
        if (tolerations.isArray() && !tolerations.isEmpty()) {
            ArrayNode own = pod.with("spec").withArray("tolerations");
            for (JsonNode toleration : tolerations) {
                boolean present = false;
                for (JsonNode existing : own) {
                    present |= existing.equals(toleration);
                }
                if (!present) {
                    own.add(toleration.deepCopy());
                }
            }
        }
        return Optional.empty();
    }

    static Optional<String> checkPod(JsonNode tenant, JsonNode pod) {
        JsonNode allow = tenant.path("spec").path("allow");
        JsonNode spec = pod.path("spec");
        if (spec.path("hostNetwork").asBoolean(false) && !allow.path("hostNetwork").asBoolean(false)) {
            return Optional.of("tenant " + name(tenant) + " does not allow host networking (spec.hostNetwork)");
        }
        JsonNode volumes = spec.path("volumes");
        for (int i = 0; i < volumes.size(); i++) {
            if (volumes.get(i).has("hostPath") && !allow.path("hostPath").asBoolean(false)) {
                return Optional.of("tenant " + name(tenant) + " does not allow hostPath volumes (spec.volumes[" + i
                        + "].hostPath)");
            }
        }
        JsonNode registries = tenant.path("spec").path("allowedRegistries");
        if (registries.isArray() && !registries.isEmpty()) {
            for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
                JsonNode containers = spec.path(field);
                for (int i = 0; i < containers.size(); i++) {
                    String image = containers.get(i).path("image").asText();
                    if (!allowed(image, registries)) {
                        return Optional.of("image " + image + " (spec." + field + "[" + i + "].image) is not from a "
                                + "registry tenant " + name(tenant) + " allows (" + String.join(", ", texts(registries))
                                + ")");
                    }
                }
            }
        }
        return Optional.empty();
    }

    static Optional<String> checkService(JsonNode tenant, JsonNode service) {
        String type = service.path("spec").path("type").asText("ClusterIP");
        JsonNode allow = tenant.path("spec").path("allow");
        if (type.equals("NodePort") && !allow.path("nodePort").asBoolean(false)) {
            return Optional.of("tenant " + name(tenant) + " does not allow Services of type NodePort");
        }
        if (type.equals("LoadBalancer") && !allow.path("loadBalancer").asBoolean(false)) {
            return Optional.of("tenant " + name(tenant) + " does not allow Services of type LoadBalancer");
        }
        return Optional.empty();
    }

    /**
     * Whether the image's registry is one of {@code registries}. As the container runtime reads a
     * reference, a first path segment with a dot, a colon or {@code localhost} is a registry;
     * otherwise the image comes from docker.io.
     */
    static boolean allowed(String image, JsonNode registries) {
        String registry = registryOf(image);
        for (JsonNode allowedRegistry : registries) {
            if (allowedRegistry.asText().equals(registry)) {
                return true;
            }
        }
        return false;
    }

    static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return "docker.io";
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    private static String name(JsonNode tenant) {
        return tenant.path("metadata").path("name").asText();
    }
}
