package dev.flotilla.controllers.rootca;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code kube-root-ca.crt} ConfigMap upstream publishes in every namespace: the CA bundle under
 * {@code ca.crt} and the {@code kubernetes.io/description} annotation saying what it is for.
 */
public final class RootCaConfigMap {

    public static final String NAME = "kube-root-ca.crt";
    public static final String KEY = "ca.crt";
    public static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    public static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver "
            + "when using internal endpoints such as the internal service IP or kubernetes.default.svc. "
            + "No other usage is guaranteed across distributions of Kubernetes clusters.";

    private final String bundle;

    public RootCaConfigMap(String bundle) {
        this.bundle = bundle;
    }

    /** The ConfigMap to create in a namespace that has none. */
    public ConfigMap fresh(String namespace) {
        return new ConfigMapBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .withAnnotations(Map.of(DESCRIPTION_ANNOTATION, DESCRIPTION)).endMetadata()
                .withData(Map.of(KEY, bundle)).build();
    }

    /**
     * True when the data is exactly the bundle and the description annotation is set; as upstream, the
     * annotation's wording, other metadata and binaryData are left to whoever changed them.
     */
    public boolean matches(ConfigMap current) {
        String description = current.getMetadata().getAnnotations() == null ? null
                : current.getMetadata().getAnnotations().get(DESCRIPTION_ANNOTATION);
        return Map.of(KEY, bundle).equals(current.getData())
                && description != null && !description.isEmpty();
    }

    /** A copy of {@code current} with the bundle as its only data and upstream's description. */
    public ConfigMap corrected(ConfigMap current) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (current.getMetadata().getAnnotations() != null) {
            annotations.putAll(current.getMetadata().getAnnotations());
        }
        annotations.put(DESCRIPTION_ANNOTATION, DESCRIPTION);
        return new ConfigMapBuilder(current).editMetadata().withAnnotations(annotations).endMetadata()
                .withData(Map.of(KEY, bundle)).build();
    }
}
