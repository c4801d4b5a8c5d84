package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.admission.AdmissionAttributes;
import dev.flotilla.apiserver.admission.AdmissionChain;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * {@code pods/eviction} (policy/v1 Eviction): deletes a pod unless that would break a
 * PodDisruptionBudget covering it. Pods that are not running (pending, finished, already being
 * deleted) go without asking any budget, as upstream.
 */
@Singleton
public class PodEvictionEndpoint implements Subresource {

    /** Rounds of read-budget-then-write before a lasting conflict is returned to the client. */
    private static final int ATTEMPTS = 5;

    private final ResourceStore store;
    private final DisruptionBudgets budgets;
    private final AdmissionChain admission;
    // The generic delete (grace periods, finalizers, preconditions); a provider because the handler holds us.
    private final Provider<ResourceHandler> resources;

    PodEvictionEndpoint(ResourceStore store, DisruptionBudgets budgets, AdmissionChain admission,
            Provider<ResourceHandler> resources) {
        this.store = store;
        this.budgets = budgets;
        this.admission = admission;
        this.resources = resources;
    }

    @Override
    public String name() {
        return "eviction";
    }

    @Override
    public boolean serves(ResourceType type) {
        return Subresource.isCore(type, "pods");
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        Requests.requireMethod(request, "POST");
        ObjectNode eviction = ObjectCodec.decode(request.body(), request.headers().get("Content-Type"));
        String named = ObjectMetadata.of(eviction).name();
        if (named != null && !named.isEmpty() && !named.equals(target.name())) {
            throw ApiError.badRequest("name in URL does not match name in Eviction object");
        }
        eviction.with("metadata").put("name", target.name());
        JsonNode deleteOptions = eviction.path("deleteOptions");
        boolean dryRun = Requests.isDryRun(request) || deleteOptions.path("dryRun").size() > 0;
        for (int attempt = 1; ; attempt++) {
            ObjectNode pod = store.require(target.type(), target.namespace(), target.name());
            // As upstream, admission sees the Eviction as a create of pods/eviction (NodeRestriction's rule).
            admission.validate(new AdmissionAttributes(AdmissionOperation.CREATE, target.type(), target.namespace(),
                    "eviction", eviction, pod, request.user(), dryRun));
            try {
                if (!ignoresBudgets(pod)) {
                    List<ObjectNode> covering = budgets.covering(pod);
                    if (covering.size() > 1) {
                        throw ApiError.internal("This pod has more than one PodDisruptionBudget, which the eviction "
                                + "subresource does not support.");
                    }
                    if (covering.size() == 1) {
                        budgets.consume(covering.get(0), target.name(), dryRun);
                    }
                }
                break;
            } catch (ApiError e) {
                if (e.code() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
        if (!dryRun) {
            delete(request, target, deleteOptions);
        }
        return Requests.createdSuccess(request);
    }

    private static boolean ignoresBudgets(ObjectNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")
                || ObjectMetadata.of(pod).deletionTimestamp() != null;
    }

    private void delete(ApiRequest request, ResourceRequest target, JsonNode deleteOptions) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Content-Type", ObjectCodec.JSON);
        byte[] body = deleteOptions.isObject() ? Json.toBytes(deleteOptions) : new byte[0];
        ApiRequest delete = new ApiRequest(HttpMethod.DELETE, request.path(), request.query(), headers, body,
                request.user());
        resources.get().handle(delete, new ResourceRequest(target.type(), target.namespace(), target.name(), null));
    }
}
