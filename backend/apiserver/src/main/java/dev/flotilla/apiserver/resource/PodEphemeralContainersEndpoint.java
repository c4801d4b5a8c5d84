package dev.flotilla.apiserver.resource;

import static dev.flotilla.apiserver.resource.Requests.isDryRun;
import static dev.flotilla.apiserver.resource.Requests.respond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.admission.AdmissionAttributes;
import dev.flotilla.apiserver.admission.AdmissionChain;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.strategy.EphemeralContainers;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * {@code pods/ephemeralcontainers}: get, update and patch a Pod of which only
 * {@code spec.ephemeralContainers} may change (everything else the client sends is ignored, as
 * upstream), and only by adding containers. Admission sees the write as an update of
 * {@code pods/ephemeralcontainers}, as upstream, so PodSecurity checks the new containers.
 */
@Singleton
public class PodEphemeralContainersEndpoint implements Subresource {

    private final ResourceStore store;
    private final AdmissionChain admission;

    public PodEphemeralContainersEndpoint(ResourceStore store, AdmissionChain admission) {
        this.store = store;
        this.admission = admission;
    }

    @Override
    public String name() {
        return "ephemeralcontainers";
    }

    @Override
    public boolean serves(dev.flotilla.api.resource.ResourceType type) {
        return Subresource.isCore(type, "pods");
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        ObjectNode current = store.require(target.type(), target.namespace(), target.name());
        ObjectNode sent = Requests.sentObject(request, current);
        if (sent == null) {
            return respond(request, 200, current);
        }
        long expected = Requests.expectedRevision(sent, current, "", "pods", target.name());
        String sentName = ObjectMetadata.of(sent).name();
        if (sentName != null && !sentName.equals(target.name())) {
            throw ApiError.badRequest("the name of the object (" + sentName + ") does not match the name on the URL ("
                    + target.name() + ")");
        }
        ObjectNode updated = current.deepCopy();
        JsonNode containers = sent.path("spec").path("ephemeralContainers");
        if (containers.isArray()) {
            updated.with("spec").set("ephemeralContainers", containers);
        } else {
            updated.with("spec").remove("ephemeralContainers");
        }
        ObjectPreparation.prepareForUpdate(target.type(), updated, current, false);
        EphemeralContainers.applyDefaults(updated.with("spec"));
        List<FieldError> errors = EphemeralContainers.validateUpdate(updated, current);
        if (!errors.isEmpty()) {
            throw ApiError.invalid("", "Pod", target.name(), errors);
        }
        AdmissionAttributes attributes = new AdmissionAttributes(AdmissionOperation.UPDATE, target.type(),
                target.namespace(), name(), updated, current, request.user(), isDryRun(request));
        admission.admit(attributes);
        admission.validate(attributes);
        if (isDryRun(request)) {
            return respond(request, 200, updated);
        }
        return respond(request, 200, store.update(target.type(), target.namespace(), target.name(), updated, expected));
    }
}
