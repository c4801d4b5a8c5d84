package dev.flotilla.apiserver.resource;

import static dev.flotilla.apiserver.resource.Requests.isDryRun;
import static dev.flotilla.apiserver.resource.Requests.revisionOf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * {@code pods/binding}: how the scheduler assigns a pod to a node. A pod is bound once; binding a
 * bound pod is a 409, as upstream.
 */
@Singleton
public class PodBindingEndpoint implements Subresource {

    /** Binding races only the pod's other writers (labels, status); each conflict is retried on the live pod. */
    private static final int BIND_ATTEMPTS = 5;

    private final ResourceStore store;
    private final CachedFirstWrite writes;

    public PodBindingEndpoint(ResourceStore store) {
        this.store = store;
        this.writes = new CachedFirstWrite(store);
    }

    @Override
    public String name() {
        return "binding";
    }

    @Override
    public boolean serves(ResourceType type) {
        return Subresource.isCore(type, "pods");
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        Requests.requireMethod(request, "POST");
        ResourceType type = target.type();
        ObjectNode binding = ObjectCodec.decode(request.body(), request.headers().get("Content-Type"));
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            throw ApiError.invalid("", "Binding", target.name(), List.of(FieldError.required("target.name", "")));
        }
        return writes.runOnExisting(target, BIND_ATTEMPTS, false, !isDryRun(request),
                pod -> bind(request, target, pod, node));
    }

    private ApiResponse bind(ApiRequest request, ResourceRequest target, ObjectNode pod, String node) {
        ResourceType type = target.type();
        long revision = revisionOf(ObjectMetadata.of(pod).resourceVersion());
        String bound = pod.path("spec").path("nodeName").asText("");
        if (!bound.isEmpty()) {
            throw ApiError.conflict("", "pods/binding", target.name(), "pod " + target.name() + " is already assigned to node \""
                    + bound + "\"");
        }
        if (ObjectMetadata.of(pod).deletionTimestamp() != null) {
            throw ApiError.conflict("", "pods/binding", target.name(), "pod " + target.name() + " is being deleted, cannot "
                    + "be assigned to a host");
        }
        pod.with("spec").put("nodeName", node);
        ArrayNode conditions = pod.with("status").withArray("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
            if (conditions.get(i).path("type").asText().equals("PodScheduled")) {
                conditions.remove(i);
            }
        }
        ObjectNode scheduled = conditions.addObject();
        scheduled.put("type", "PodScheduled");
        scheduled.put("status", "True");
        scheduled.putNull("lastProbeTime");
        scheduled.put("lastTransitionTime", ObjectPreparation.now());
        if (!isDryRun(request)) {
            store.update(type, target.namespace(), target.name(), pod, revision);
        }
        return Requests.createdSuccess(request);
    }
}
