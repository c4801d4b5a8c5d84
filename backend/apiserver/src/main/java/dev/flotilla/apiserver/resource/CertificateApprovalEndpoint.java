package dev.flotilla.apiserver.resource;

import static dev.flotilla.apiserver.resource.Requests.isDryRun;
import static dev.flotilla.apiserver.resource.Requests.respond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code certificatesigningrequests/approval}: how {@code kubectl certificate approve|deny} decide a
 * CSR. Only {@code status.conditions} change; Approved and Denied are final and exclusive. The
 * certificate itself is issued later by the signer (the controller manager), through {@code /status}.
 */
@Singleton
public class CertificateApprovalEndpoint implements Subresource {

    private static final String GROUP = "certificates.k8s.io";
    private static final String KIND = "CertificateSigningRequest";
    private static final List<String> DECISIONS = List.of("Approved", "Denied");

    private final ResourceStore store;

    public CertificateApprovalEndpoint(ResourceStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "approval";
    }

    @Override
    public boolean serves(ResourceType type) {
        return type.group().equals(GROUP) && type.resource().equals("certificatesigningrequests");
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        ObjectNode current = store.require(target.type(), null, target.name());
        ObjectNode sent = Requests.sentObject(request, current);
        if (sent == null) {
            return respond(request, 200, current);
        }
        long expected = Requests.expectedRevision(sent, current, GROUP, target.type().resource(), target.name());
        ObjectNode updated = current.deepCopy();
        ArrayNode conditions = updated.with("status").putArray("conditions");
        sent.path("status").path("conditions").forEach(c -> conditions.add(c.deepCopy()));
        stampTimes(conditions, current.path("status").path("conditions"));
        List<FieldError> errors = validate(conditions, current.path("status").path("conditions"));
        if (!errors.isEmpty()) {
            throw ApiError.invalid(GROUP, KIND, target.name(), errors);
        }
        if (isDryRun(request)) {
            return respond(request, 200, updated);
        }
        return respond(request, 200, store.update(target.type(), null, target.name(), updated, expected));
    }

    /** lastUpdateTime when missing; lastTransitionTime kept from an unchanged old condition, else now. */
    private static void stampTimes(ArrayNode conditions, JsonNode old) {
        Map<String, JsonNode> previous = new HashMap<>();
        old.forEach(c -> previous.put(c.path("type").asText(), c));
        String now = ObjectPreparation.now();
        for (JsonNode node : conditions) {
            ObjectNode condition = (ObjectNode) node;
            if (!condition.hasNonNull("lastUpdateTime")) {
                condition.put("lastUpdateTime", now);
            }
            if (!condition.hasNonNull("lastTransitionTime")) {
                JsonNode before = previous.get(condition.path("type").asText());
                boolean unchanged = before != null && before.path("status").equals(condition.path("status"))
                        && before.hasNonNull("lastTransitionTime");
                condition.put("lastTransitionTime", unchanged ? before.path("lastTransitionTime").asText() : now);
            }
        }
    }

    private static List<FieldError> validate(ArrayNode conditions, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> types = new HashSet<>();
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode condition = conditions.get(i);
            String at = "status.conditions[" + i + "]";
            String type = condition.path("type").asText("");
            String status = condition.path("status").asText("");
            if (type.isEmpty()) {
                errors.add(FieldError.required(at + ".type", ""));
            } else if (!types.add(type)) {
                errors.add(new FieldError(at + ".type", FieldError.Type.DUPLICATE, type, null));
            }
            if (status.isEmpty()) {
                errors.add(FieldError.required(at + ".status", ""));
            } else if (DECISIONS.contains(type) && !status.equals("True")) {
                errors.add(FieldError.notSupported(at + ".status", status, List.of("True")));
            } else if (!List.of("True", "False", "Unknown").contains(status)) {
                errors.add(FieldError.notSupported(at + ".status", status, List.of("False", "True", "Unknown")));
            }
        }
        if (types.containsAll(DECISIONS)) {
            errors.add(FieldError.invalid("status.conditions", new FieldError.GoValue(render(conditions)),
                    "Approved and Denied conditions are mutually exclusive"));
        }
        for (JsonNode previous : old) {
            String type = previous.path("type").asText();
            if (DECISIONS.contains(type) && !types.contains(type)) {
                errors.add(FieldError.forbidden("status.conditions", "updates may not remove a condition of type \""
                        + type + "\""));
            }
        }
        return errors;
    }

    /** Go's %#v of the condition list, shortened to the fields that matter here. */
    private static String render(ArrayNode conditions) {
        List<String> items = new ArrayList<>();
        conditions.forEach(c -> items.add("certificates.CertificateSigningRequestCondition{Type:\""
                + c.path("type").asText() + "\", Status:\"" + c.path("status").asText() + "\", ...}"));
        return "[]certificates.CertificateSigningRequestCondition{" + String.join(", ", items) + "}";
    }
}
