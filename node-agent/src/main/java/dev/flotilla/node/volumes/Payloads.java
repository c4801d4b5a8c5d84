package dev.flotilla.node.volumes;

import dev.flotilla.node.downward.PodFieldValues;
import dev.flotilla.node.downward.ResourceFieldValues;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of API-backed volumes (configMap, secret, downwardAPI, projected), read from the API each
 * time: keys or {@code items} (key → path, mode), {@code defaultMode} 0644, {@code optional}, with
 * upstream's error messages for a missing object or key.
 */
final class Payloads {

    static final int DEFAULT_MODE = 0644;

    private final KubernetesClient client;
    private final String nodeName;
    private final String hostIp;
    private final ServiceAccountTokens tokens;

    Payloads(KubernetesClient client, String nodeName, String hostIp, ServiceAccountTokens tokens) {
        this.client = client;
        this.nodeName = nodeName;
        this.hostIp = hostIp;
        this.tokens = tokens;
    }

    Map<String, FileProjection> configMap(String namespace, String name, List<KeyToPath> items, Boolean optional,
                                          Integer defaultMode) {
        ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(name).get();
        if (configMap == null) {
            if (Boolean.TRUE.equals(optional)) {
                return Map.of();
            }
            throw new VolumeSetupException("configmap \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (configMap.getData() != null) {
            configMap.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        if (configMap.getBinaryData() != null) {
            configMap.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        return project(data, items, optional, defaultMode, "configmap references non-existent config key: ");
    }

    Map<String, FileProjection> secret(String namespace, String name, List<KeyToPath> items, Boolean optional,
                                       Integer defaultMode) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            if (Boolean.TRUE.equals(optional)) {
                return Map.of();
            }
            throw new VolumeSetupException("secret \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        return project(data, items, optional, defaultMode, "references non-existent secret key: ");
    }

    private static Map<String, FileProjection> project(Map<String, byte[]> data, List<KeyToPath> items, Boolean optional,
                                                       Integer defaultMode, String missingKey) {
        int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
        Map<String, FileProjection> files = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((key, value) -> files.put(key, new FileProjection(value, mode)));
            return files;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (Boolean.TRUE.equals(optional)) {
                    continue;
                }
                throw new VolumeSetupException(missingKey + item.getKey());
            }
            files.put(item.getPath(), new FileProjection(value, item.getMode() == null ? mode : item.getMode()));
        }
        return files;
    }

    Map<String, FileProjection> downwardApi(Pod pod, List<DownwardAPIVolumeFile> items, Integer defaultMode) {
        int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
        String podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        Map<String, FileProjection> files = new LinkedHashMap<>();
        for (DownwardAPIVolumeFile item : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
            String value;
            if (item.getFieldRef() != null) {
                value = PodFieldValues.value(pod, item.getFieldRef().getFieldPath(), nodeName, hostIp, podIp);
            } else if (item.getResourceFieldRef() != null) {
                value = resourceValue(pod, item);
            } else {
                value = null;
            }
            if (value == null) {
                throw new VolumeSetupException("unsupported downward API item " + item.getPath());
            }
            files.put(item.getPath(), new FileProjection(value.getBytes(StandardCharsets.UTF_8),
                    item.getMode() == null ? mode : item.getMode()));
        }
        return files;
    }

    private static String resourceValue(Pod pod, DownwardAPIVolumeFile item) {
        String name = item.getResourceFieldRef().getContainerName();
        Container container = Stream.concat(list(pod.getSpec().getContainers()).stream(),
                        list(pod.getSpec().getInitContainers()).stream())
                .filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new VolumeSetupException("container " + name + " not found in pod "
                        + pod.getMetadata().getName() + " for downward API item " + item.getPath()));
        return ResourceFieldValues.value(container, item.getResourceFieldRef());
    }

    /** The sources of a projected volume merged in order (a later file of the same path wins). */
    Map<String, FileProjection> projected(Pod pod, String volume, List<VolumeProjection> sources, Integer defaultMode) {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, FileProjection> files = new LinkedHashMap<>();
        int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
        for (VolumeProjection source : sources == null ? List.<VolumeProjection>of() : sources) {
            if (source.getConfigMap() != null) {
                var c = source.getConfigMap();
                files.putAll(configMap(namespace, c.getName(), c.getItems(), c.getOptional(), mode));
            } else if (source.getSecret() != null) {
                var s = source.getSecret();
                files.putAll(secret(namespace, s.getName(), s.getItems(), s.getOptional(), mode));
            } else if (source.getDownwardAPI() != null) {
                files.putAll(downwardApi(pod, source.getDownwardAPI().getItems(), mode));
            } else if (source.getServiceAccountToken() != null) {
                var token = source.getServiceAccountToken();
                files.put(token.getPath(), new FileProjection(tokens.token(pod, volume, token)
                        .getBytes(StandardCharsets.UTF_8), mode));
            } else {
                throw new VolumeSetupException("unsupported projected volume source in volume \"" + volume + "\"");
            }
        }
        return files;
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
