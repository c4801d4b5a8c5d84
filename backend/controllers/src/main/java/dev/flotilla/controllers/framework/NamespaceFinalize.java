package dev.flotilla.controllers.framework;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@code PUT /api/v1/namespaces/<name>/finalize}, which the fabric8 DSL has no verb for. */
public final class NamespaceFinalize {

    private NamespaceFinalize() {
    }

    /** Writes the namespace's spec.finalizers; a 404 means it is already gone and is not an error. */
    public static void put(KubernetesClient client, Namespace namespace) throws Exception {
        String base = client.getMasterUrl().toString();
        String url = (base.endsWith("/") ? base : base + "/") + "api/v1/namespaces/"
                + namespace.getMetadata().getName() + "/finalize";
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url)
                .put("application/json", Serialization.asJson(namespace)).build();
        HttpResponse<String> response;
        try {
            response = client.getHttpClient().sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (response.code() != 200 && response.code() != 404) {
            throw new KubernetesClientException("finalize of namespace " + namespace.getMetadata().getName()
                    + " answered " + response.code() + ": " + response.body(), response.code(), null);
        }
    }
}
