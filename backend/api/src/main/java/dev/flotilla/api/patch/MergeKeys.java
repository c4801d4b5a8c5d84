package dev.flotilla.api.patch;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How strategic merge patch treats the lists of the built-in API types: lists of objects merged by
 * a key field (containers by {@code name}, container ports by {@code containerPort}, conditions by
 * {@code type} …) and lists of strings merged as sets (finalizers). Every other list is replaced
 * whole. Served to clients as {@code x-kubernetes-patch-merge-key} / {@code
 * x-kubernetes-patch-strategy} in OpenAPI and applied by the server's strategic merge patch.
 */
public final class MergeKeys {

    /** Merge keys by owning type: {@code Type.field -> key}. */
    private static final Map<String, String> BY_TYPE = Map.ofEntries(
            Map.entry("PodSpec.containers", "name"),
            Map.entry("PodSpec.initContainers", "name"),
            Map.entry("PodSpec.ephemeralContainers", "name"),
            Map.entry("PodSpec.volumes", "name"),
            Map.entry("PodSpec.imagePullSecrets", "name"),
            Map.entry("PodSpec.hostAliases", "ip"),
            Map.entry("PodSpec.topologySpreadConstraints", "topologyKey"),
            Map.entry("PodSpec.resourceClaims", "name"),
            Map.entry("PodSpec.schedulingGates", "name"),
            Map.entry("Container.ports", "containerPort"),
            Map.entry("Container.env", "name"),
            Map.entry("Container.volumeMounts", "mountPath"),
            Map.entry("Container.volumeDevices", "devicePath"),
            Map.entry("EphemeralContainer.ports", "containerPort"),
            Map.entry("EphemeralContainer.env", "name"),
            Map.entry("EphemeralContainer.volumeMounts", "mountPath"),
            Map.entry("EphemeralContainer.volumeDevices", "devicePath"),
            Map.entry("ServiceSpec.ports", "port"),
            Map.entry("ServiceAccount.secrets", "name"),
            Map.entry("ObjectMeta.ownerReferences", "uid"),
            Map.entry("NodeStatus.addresses", "type"),
            Map.entry("NodeStatus.conditions", "type"),
            Map.entry("PodStatus.conditions", "type"),
            Map.entry("NamespaceStatus.conditions", "type"),
            Map.entry("PersistentVolumeClaimStatus.conditions", "type"),
            Map.entry("DeploymentStatus.conditions", "type"),
            Map.entry("ReplicaSetStatus.conditions", "type"),
            Map.entry("StatefulSetStatus.conditions", "type"),
            Map.entry("DaemonSetStatus.conditions", "type"),
            Map.entry("ReplicationControllerStatus.conditions", "type"),
            Map.entry("JobStatus.conditions", "type"));

    /** Lists of strings merged as sets, by field name. */
    private static final Set<String> PRIMITIVE_SETS = Set.of("finalizers");

    /** Merge keys by field name alone, for patching untyped JSON; container/service ports are told apart by content. */
    private static final Map<String, String> BY_FIELD = Map.ofEntries(
            Map.entry("containers", "name"), Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"), Map.entry("volumes", "name"),
            Map.entry("imagePullSecrets", "name"), Map.entry("hostAliases", "ip"),
            Map.entry("topologySpreadConstraints", "topologyKey"), Map.entry("resourceClaims", "name"),
            Map.entry("schedulingGates", "name"), Map.entry("env", "name"), Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"), Map.entry("secrets", "name"),
            Map.entry("ownerReferences", "uid"), Map.entry("addresses", "type"), Map.entry("conditions", "type"));

    private MergeKeys() {
    }

    /** The merge key of {@code field} in the type named {@code ownerType} (simple name), if it has one. */
    public static Optional<String> forType(String ownerType, String field) {
        return Optional.ofNullable(BY_TYPE.get(ownerType + "." + field));
    }

    public static boolean isPrimitiveSet(String field) {
        return PRIMITIVE_SETS.contains(field);
    }

    /**
     * The merge key for a list met while patching JSON: by field name, with {@code ports} keyed by
     * {@code containerPort} when its items are container ports and by {@code port} otherwise.
     */
    public static Optional<String> forField(String field, Iterable<? extends com.fasterxml.jackson.databind.JsonNode> items) {
        if (field.equals("ports")) {
            for (com.fasterxml.jackson.databind.JsonNode item : items) {
                if (item.has("containerPort")) {
                    return Optional.of("containerPort");
                }
                if (item.has("port")) {
                    return Optional.of("port");
                }
            }
            return Optional.empty();
        }
        return Optional.ofNullable(BY_FIELD.get(field));
    }
}
