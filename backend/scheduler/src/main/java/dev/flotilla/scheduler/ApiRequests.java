package dev.flotilla.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous writes through the client's own authenticated HTTP client, for the calls the
 * scheduler makes per pod (binding, status patch, event, deleting a preemption victim) so that the scheduling loop never waits
 * on a round trip. A failure is an {@link ApiCallException} with the HTTP code and the Status message.
 */
final class ApiRequests {

    private final HttpClient http;
    private final String base;

    ApiRequests(KubernetesClient client) {
        this.http = client.getHttpClient();
        String url = client.getMasterUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    CompletableFuture<String> post(String path, Object body) {
        return send(http.newHttpRequestBuilder().uri(base + path)
                .post("application/json", Serialization.asJson(body)).build());
    }

    CompletableFuture<String> strategicMergePatch(String path, Object body) {
        return send(http.newHttpRequestBuilder().uri(base + path)
                .patch("application/strategic-merge-patch+json", Serialization.asJson(body)).build());
    }

    CompletableFuture<String> delete(String path) {
        return send(http.newHttpRequestBuilder().uri(base + path).delete("application/json", "{}").build());
    }

    private CompletableFuture<String> send(HttpRequest request) {
        return http.sendAsync(request, String.class).thenApply(ApiRequests::bodyOrFail);
    }

    private static String bodyOrFail(HttpResponse<String> response) {
        if (response.isSuccessful()) {
            return response.body();
        }
        throw new ApiCallException(response.code(), statusMessage(response.body()));
    }

    private static String statusMessage(String body) {
        try {
            Object message = Serialization.unmarshal(body, java.util.Map.class).get("message");
            return message == null ? body : message.toString();
        } catch (RuntimeException e) {
            return body;
        }
    }

    static final class ApiCallException extends RuntimeException {

        private final int code;

        ApiCallException(int code, String message) {
            super(message);
            this.code = code;
        }

        int code() {
            return code;
        }
    }
}
