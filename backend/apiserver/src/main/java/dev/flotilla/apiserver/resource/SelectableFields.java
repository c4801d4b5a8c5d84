package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields each kind can be selected by ({@code --field-selector}), as upstream's per-kind
 * GetAttrs: metadata.name and metadata.namespace everywhere, plus e.g. {@code spec.nodeName} and
 * {@code status.phase} for pods (how node agents find their pods) and {@code involvedObject.*} for
 * events (how {@code kubectl describe} finds an object's events).
 */
final class SelectableFields {

    private static final Map<String, Set<String>> BY_KIND = Map.of(
            "/Pod", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
            "/Event", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
            "/Node", Set.of("spec.unschedulable"),
            "/Namespace", Set.of("status.phase"),
            "/Secret", Set.of("type"),
            "/ReplicationController", Set.of("status.replicas"),
            "batch/Job", Set.of("status.successful"),
            "certificates.k8s.io/CertificateSigningRequest", Set.of("spec.signerName"));

    private SelectableFields() {
    }

    /** The kind's own selectable fields beyond metadata, if it declares any. */
    static Optional<Set<String>> declared(ResourceType type) {
        return Optional.ofNullable(BY_KIND.get(type.group() + "/" + type.kind()));
    }

    /** The value a field selector compares: text of the field, "" when absent, as upstream. */
    static String value(ObjectNode object, String field) {
        switch (field) {
            case "metadata.name":
                return ObjectMetadata.of(object).name();
            case "metadata.namespace":
                String namespace = ObjectMetadata.of(object).namespace();
                return namespace == null ? "" : namespace;
            case "source":
                return object.path("source").path("component").asText("");
            case "spec.hostNetwork":
            case "spec.unschedulable":
                return Boolean.toString(object.at(pointer(field)).asBoolean(false));
            case "status.replicas":
            case "status.successful":
                return Integer.toString(object.at(pointer(field)).asInt(0));
            default:
                JsonNode value = object.at(pointer(field));
                return value.isMissingNode() || value.isNull() ? "" : value.asText();
        }
    }

    private static String pointer(String field) {
        return "/" + field.replace('.', '/');
    }
}
