package dev.flotilla.apiserver.admission.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.util.function.Supplier;

/**
 * The service account token volume upstream's ServiceAccount admission adds to a pod: a projected
 * {@code kube-api-access-<random>} volume (a bound token for 3607 s, the {@code kube-root-ca.crt}
 * ConfigMap's {@code ca.crt}, the namespace from the downward API; mode 0644) mounted read-only at
 * {@value #MOUNT_PATH} in every init container and container that does not already mount something
 * there. Ephemeral containers are added later through a subresource this plugin does not see, so,
 * as upstream, they get no mount.
 */
final class TokenVolume {

    static final String PREFIX = "kube-api-access-";
    static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
    /** Upstream's WarnOnlyBoundTokenExpirationSeconds: an hour plus seven seconds, so the token is recognised as one of these. */
    static final long EXPIRATION_SECONDS = 3607;
    /** 0644, upstream's ProjectedVolumeSourceDefaultMode, spelled out as upstream does. */
    static final int DEFAULT_MODE = 420;

    private TokenVolume() {
    }

    /** The pod's own choice wins, then its account's (null when there is no account object), else true. */
    static boolean shouldAutomount(JsonNode podSpec, JsonNode account) {
        JsonNode own = podSpec.path("automountServiceAccountToken");
        if (own.isBoolean()) {
            return own.booleanValue();
        }
        JsonNode accounts = account == null ? null : account.path("automountServiceAccountToken");
        return accounts == null || !accounts.isBoolean() || accounts.booleanValue();
    }

    /**
     * Mounts the token volume into the pod spec's containers, reusing a {@code kube-api-access-}
     * volume the pod already has, else naming a new one with {@code names}; the volume is added only
     * when some container got the mount.
     */
    static void mount(ObjectNode podSpec, Supplier<String> names) {
        String volumeName = null;
        for (JsonNode volume : podSpec.path("volumes")) {
            if (volume.path("name").asText("").startsWith(PREFIX)) {
                volumeName = volume.path("name").asText();
                break;
            }
        }
        boolean hasVolume = volumeName != null;
        if (!hasVolume) {
            volumeName = names.get();
        }
        boolean mounted = mountInto(podSpec.path("initContainers"), volumeName);
        mounted |= mountInto(podSpec.path("containers"), volumeName);
        if (mounted && !hasVolume) {
            ArrayNode volumes = podSpec.has("volumes") && podSpec.get("volumes").isArray()
                    ? (ArrayNode) podSpec.get("volumes") : podSpec.putArray("volumes");
            volumes.add(volume(volumeName));
        }
    }

    private static boolean mountInto(JsonNode containers, String volumeName) {
        boolean mounted = false;
        for (JsonNode node : containers) {
            if (!(node instanceof ObjectNode container) || mountsTokenPath(container)) {
                continue;
            }
            ArrayNode mounts = container.get("volumeMounts") instanceof ArrayNode existing ? existing
                    : container.putArray("volumeMounts");
            mounts.addObject().put("name", volumeName).put("readOnly", true).put("mountPath", MOUNT_PATH);
            mounted = true;
        }
        return mounted;
    }

    private static boolean mountsTokenPath(JsonNode container) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (MOUNT_PATH.equals(mount.path("mountPath").asText())) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode volume(String name) {
        ObjectNode volume = Json.mapper().createObjectNode().put("name", name);
        ObjectNode projected = volume.putObject("projected").put("defaultMode", DEFAULT_MODE);
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", EXPIRATION_SECONDS)
                .put("path", "token");
        ObjectNode configMap = sources.addObject().putObject("configMap");
        configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        configMap.put("name", ROOT_CA_CONFIG_MAP);
        sources.addObject().putObject("downwardAPI").putArray("items").addObject()
                .put("path", "namespace").putObject("fieldRef").put("apiVersion", "v1")
                .put("fieldPath", "metadata.namespace");
        return volume;
    }
}
