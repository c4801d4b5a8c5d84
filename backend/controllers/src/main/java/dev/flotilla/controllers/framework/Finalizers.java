package dev.flotilla.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/**
 * Adds and removes one finalizer of an object by JSON patch. Each patch tests the list it read
 * first, so a stale cache gets a 422 (retried by the work queue with back-off) rather than
 * dropping or doubling another controller's finalizer; an object that is gone needs nothing.
 */
public final class Finalizers {

    private final KubernetesClient client;

    public Finalizers(KubernetesClient client) {
        this.client = client;
    }

    public static boolean has(HasMetadata object, String finalizer) {
        List<String> finalizers = object.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(finalizer);
    }

    /** Whether the object is being deleted and still held by {@code finalizer} (upstream's IsDeletionCandidate). */
    public static boolean isDeletionCandidate(HasMetadata object, String finalizer) {
        return object.getMetadata().getDeletionTimestamp() != null && has(object, finalizer);
    }

    /** Whether the object is live and lacks {@code finalizer} (upstream's NeedToAddFinalizer). */
    public static boolean needsFinalizer(HasMetadata object, String finalizer) {
        return object.getMetadata().getDeletionTimestamp() == null && !has(object, finalizer);
    }

    public void add(HasMetadata object, String finalizer) {
        List<String> finalizers = object.getMetadata().getFinalizers();
        String patch = finalizers == null || finalizers.isEmpty()
                ? "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                        + object.getMetadata().getResourceVersion() + "\"},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"" + finalizer + "\"]}]"
                : "[{\"op\":\"test\",\"path\":\"/metadata/finalizers\",\"value\":" + json(finalizers) + "},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"" + finalizer + "\"}]";
        patch(object, patch);
    }

    public void remove(HasMetadata object, String finalizer) {
        int at = object.getMetadata().getFinalizers().indexOf(finalizer);
        if (at < 0) {
            return;
        }
        patch(object, "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/" + at + "\",\"value\":\"" + finalizer + "\"},"
                + "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + at + "\"}]");
    }

    private void patch(HasMetadata object, String patch) {
        try {
            client.resource(object).patch(PatchContext.of(PatchType.JSON), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static String json(List<String> values) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            text.append(i == 0 ? "" : ",").append('"').append(values.get(i)).append('"');
        }
        return text.append(']').toString();
    }
}
