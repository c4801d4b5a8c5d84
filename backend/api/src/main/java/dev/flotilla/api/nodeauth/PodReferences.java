package dev.flotilla.api.nodeauth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a pod bound to a node makes that node need (upstream's graph populator): the Secrets and
 * ConfigMaps its volumes, env, envFrom and imagePullSecrets name, its PersistentVolumeClaims
 * (ephemeral volumes as {@code <pod>-<volume>}) and its ServiceAccount.
 */
public record PodReferences(String node, String namespace, Set<String> secrets, Set<String> configMaps,
        Set<String> claims, String serviceAccount) {

    /** The references of a pod, or null when it is not bound to a node. */
    public static PodReferences of(JsonNode pod) {
        return pod.path("spec").path("nodeName").asText("").isEmpty() ? null : read(pod);
    }

    /** The references of a pod, bound or not ({@link #node} empty when not). */
    public static PodReferences read(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        String node = spec.path("nodeName").asText("");
        Set<String> secrets = new HashSet<>();
        Set<String> configMaps = new HashSet<>();
        Set<String> claims = new HashSet<>();
        spec.path("imagePullSecrets").forEach(s -> add(secrets, s.path("name")));
        for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode container : spec.path(field)) {
                for (JsonNode env : container.path("env")) {
                    add(secrets, env.path("valueFrom").path("secretKeyRef").path("name"));
                    add(configMaps, env.path("valueFrom").path("configMapKeyRef").path("name"));
                }
                for (JsonNode from : container.path("envFrom")) {
                    add(secrets, from.path("secretRef").path("name"));
                    add(configMaps, from.path("configMapRef").path("name"));
                }
            }
        }
        String podName = pod.path("metadata").path("name").asText("");
        for (JsonNode volume : spec.path("volumes")) {
            add(secrets, volume.path("secret").path("secretName"));
            add(configMaps, volume.path("configMap").path("name"));
            for (JsonNode source : volume.path("projected").path("sources")) {
                add(secrets, source.path("secret").path("name"));
                add(configMaps, source.path("configMap").path("name"));
            }
            volume.fields().forEachRemaining(entry -> {
                // Volume plugins with credentials: csi.nodePublishSecretRef, cephfs/rbd/iscsi/... secretRef.
                add(secrets, entry.getValue().path("secretRef").path("name"));
                add(secrets, entry.getValue().path("nodePublishSecretRef").path("name"));
            });
            add(claims, volume.path("persistentVolumeClaim").path("claimName"));
            if (volume.has("ephemeral")) {
                claims.add(podName + "-" + volume.path("name").asText(""));
            }
        }
        String account = spec.path("serviceAccountName").asText("");
        return new PodReferences(node, pod.path("metadata").path("namespace").asText(""), Set.copyOf(secrets),
                Set.copyOf(configMaps), Set.copyOf(claims), account.isEmpty() ? "default" : account);
    }

    public boolean references(ObjectKind kind, String name) {
        return switch (kind) {
            case SECRET -> secrets.contains(name);
            case CONFIG_MAP -> configMaps.contains(name);
            case CLAIM -> claims.contains(name);
            case SERVICE_ACCOUNT -> serviceAccount.equals(name);
        };
    }

    private static void add(Set<String> names, JsonNode name) {
        if (name.isTextual() && !name.asText().isEmpty()) {
            names.add(name.asText());
        }
    }

    /** The namespaced kinds a pod refers to. */
    public enum ObjectKind {
        SECRET, CONFIG_MAP, CLAIM, SERVICE_ACCOUNT
    }
}
