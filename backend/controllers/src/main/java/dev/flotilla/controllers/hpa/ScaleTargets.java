package dev.flotilla.controllers.hpa;

import dev.flotilla.controllers.framework.ApiFailures;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * An HPA's {@code scaleTargetRef} read and written through its {@code /scale} subresource, whatever
 * the kind (Deployment, ReplicaSet, StatefulSet, ReplicationController, a custom resource with a
 * scale subresource): the kind is mapped to its resource through discovery, as upstream's RESTMapper.
 */
final class ScaleTargets {

    /** Why the scale could not be read or written, in upstream's words. */
    static final class ScaleException extends Exception {
        ScaleException(String message) {
            super(message);
        }
    }

    private final KubernetesClient client;

    ScaleTargets(KubernetesClient client) {
        this.client = client;
    }

    Scale get(String namespace, CrossVersionObjectReference target) throws ScaleException {
        ResourceDefinitionContext resource = resource(target);
        try {
            Scale scale = client.genericKubernetesResources(resource).inNamespace(namespace).withName(target.getName())
                    .scale();
            if (scale == null) {
                throw new ScaleException(resource.getPlural() + groupSuffix(resource) + " \"" + target.getName()
                        + "\" not found");
            }
            return scale;
        } catch (KubernetesClientException e) {
            throw new ScaleException(ApiFailures.message(e));
        }
    }

    /** Writes {@code scale} (its resourceVersion guards against a concurrent change). */
    void update(String namespace, CrossVersionObjectReference target, Scale scale) throws ScaleException {
        ResourceDefinitionContext resource = resource(target);
        try {
            client.genericKubernetesResources(resource).inNamespace(namespace).withName(target.getName()).scale(scale);
        } catch (KubernetesClientException e) {
            throw new ScaleException(ApiFailures.message(e));
        }
    }

    private ResourceDefinitionContext resource(CrossVersionObjectReference target) throws ScaleException {
        String apiVersion = target.getApiVersion() == null || target.getApiVersion().isEmpty() ? "v1"
                : target.getApiVersion();
        String noMatch = "no matches for kind \"" + target.getKind() + "\" in version \"" + apiVersion + "\"";
        APIResourceList resources;
        try {
            resources = client.getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            throw new ScaleException(noMatch);
        }
        if (resources == null) {
            throw new ScaleException(noMatch);
        }
        for (APIResource resource : resources.getResources()) {
            if (!resource.getName().contains("/") && resource.getKind().equals(target.getKind())) {
                int slash = apiVersion.indexOf('/');
                return new ResourceDefinitionContext.Builder()
                        .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
                        .withVersion(apiVersion.substring(slash + 1)).withPlural(resource.getName())
                        .withKind(resource.getKind()).withNamespaced(Boolean.TRUE.equals(resource.getNamespaced()))
                        .build();
            }
        }
        throw new ScaleException(noMatch);
    }

    private static String groupSuffix(ResourceDefinitionContext resource) {
        return resource.getGroup() == null || resource.getGroup().isEmpty() ? "" : "." + resource.getGroup();
    }
}
