package dev.flotilla.node.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ConfigMap, Secret and Service values for container environments ({@code configMapKeyRef},
 * {@code secretKeyRef}, {@code envFrom}, service variables), read from the API when the container is
 * created. A missing
 * object or key that is not {@code optional} is a {@link ContainerConfigException} in upstream's words.
 */
final class EnvSources {

    /** Upstream's rule for an environment variable name (C identifiers plus '.', '-'). */
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final KubernetesClient client;

    EnvSources(KubernetesClient client) {
        this.client = client;
    }

    /** The value, or empty for an optional reference to a missing object or key. */
    Optional<String> configMapKey(String namespace, ConfigMapKeySelector ref) {
        boolean optional = Boolean.TRUE.equals(ref.getOptional());
        return key(configMapData(namespace, ref.getName(), optional), "ConfigMap", namespace, ref.getName(), ref.getKey(),
                optional);
    }

    Optional<String> secretKey(String namespace, SecretKeySelector ref) {
        boolean optional = Boolean.TRUE.equals(ref.getOptional());
        return key(secretData(namespace, ref.getName(), optional), "Secret", namespace, ref.getName(), ref.getKey(),
                optional);
    }

    /** {@code data} null: an optional object that is missing. */
    private static Optional<String> key(Map<String, String> data, String kind, String namespace, String name, String key,
                                        boolean optional) {
        if (data == null || (!data.containsKey(key) && optional)) {
            return Optional.empty();
        }
        if (!data.containsKey(key)) {
            throw new ContainerConfigException("couldn't find key " + key + " in " + kind + " " + namespace + "/" + name);
        }
        return Optional.of(data.get(key));
    }

    /** An envFrom source's variables, with its prefix; keys that are not valid variable names are left out. */
    Map<String, String> all(String namespace, EnvFromSource source) {
        Map<String, String> data = null;
        if (source.getConfigMapRef() != null) {
            data = configMapData(namespace, source.getConfigMapRef().getName(),
                    Boolean.TRUE.equals(source.getConfigMapRef().getOptional()));
        } else if (source.getSecretRef() != null) {
            data = secretData(namespace, source.getSecretRef().getName(),
                    Boolean.TRUE.equals(source.getSecretRef().getOptional()));
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (data != null) {
            String prefix = source.getPrefix() == null ? "" : source.getPrefix();
            data.forEach((key, value) -> {
                if (ENV_NAME.matcher(prefix + key).matches()) {
                    env.put(prefix + key, value);
                }
            });
        }
        return env;
    }

    /**
     * Docker-link style variables for services, as upstream's kubelet sets them: those of the pod's
     * namespace when {@code serviceLinks} (the pod's enableServiceLinks, default true), and always the
     * API server's {@code kubernetes} service. Headless and ExternalName services have none.
     */
    Map<String, String> serviceVariables(String namespace, boolean serviceLinks) {
        Map<String, String> env = new LinkedHashMap<>();
        if (serviceLinks) {
            for (Service service : client.services().inNamespace(namespace).list().getItems()) {
                env.putAll(ServiceVariables.of(service));
            }
        }
        Service master = client.services().inNamespace("default").withName("kubernetes").get();
        if (master != null) {
            env.putAll(ServiceVariables.of(master));
        }
        return env;
    }

    /** The ConfigMap's data and binaryData; null for an optional one that is missing. */
    private Map<String, String> configMapData(String namespace, String name, boolean optional) {
        return existing(client.configMaps().inNamespace(namespace).withName(name).get(), "configmap", name, optional)
                .map(configMap -> {
                    Map<String, String> data = new LinkedHashMap<>();
                    if (configMap.getData() != null) {
                        data.putAll(configMap.getData());
                    }
                    if (configMap.getBinaryData() != null) {
                        configMap.getBinaryData().forEach((k, v) -> data.put(k, decode(v)));
                    }
                    return data;
                }).orElse(null);
    }

    /** The Secret's data, decoded; null for an optional one that is missing. */
    private Map<String, String> secretData(String namespace, String name, boolean optional) {
        return existing(client.secrets().inNamespace(namespace).withName(name).get(), "secret", name, optional)
                .map(secret -> {
                    Map<String, String> data = new LinkedHashMap<>();
                    if (secret.getData() != null) {
                        secret.getData().forEach((k, v) -> data.put(k, decode(v)));
                    }
                    if (secret.getStringData() != null) {
                        data.putAll(secret.getStringData());
                    }
                    return data;
                }).orElse(null);
    }

    private static <T> Optional<T> existing(T object, String kind, String name, boolean optional) {
        if (object == null && !optional) {
            throw new ContainerConfigException(kind + " \"" + name + "\" not found");
        }
        return Optional.ofNullable(object);
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
