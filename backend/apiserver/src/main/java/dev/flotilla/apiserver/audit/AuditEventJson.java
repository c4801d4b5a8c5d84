package dev.flotilla.apiserver.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.platform.audit.AuditEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Audit events as {@code audit.flotilla.dev/v1} {@code AuditEvent} objects, with the field names of
 * upstream's {@code audit.k8s.io/v1} Event ({@code auditID}, {@code user}, {@code objectRef},
 * {@code responseStatus}, {@code requestReceivedTimestamp} …) plus the caller's {@code tenant}. The
 * same form is each line of the spool file.
 */
public final class AuditEventJson {

    public static final String GROUP = "audit.flotilla.dev";
    public static final String API_VERSION = GROUP + "/v1";
    public static final String KIND = "AuditEvent";
    public static final String RESOURCE = "auditevents";

    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
            .withZone(ZoneOffset.UTC);

    private AuditEventJson() {
    }

    public static ObjectNode object(AuditEvent event) {
        ObjectNode object = Json.mapper().createObjectNode();
        object.put("kind", KIND);
        object.put("apiVersion", API_VERSION);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", event.id().toString());
        if (!event.namespace().isEmpty()) {
            metadata.put("namespace", event.namespace());
        }
        metadata.put("uid", event.id().toString());
        metadata.put("creationTimestamp", event.receivedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        object.put("auditID", event.auditId());
        object.put("requestURI", event.requestUri());
        object.put("verb", event.verb());
        ObjectNode user = object.putObject("user");
        user.put("username", event.user());
        ArrayNode groups = user.putArray("groups");
        event.groups().forEach(groups::add);
        if (!event.impersonatedUser().isEmpty()) {
            object.putObject("impersonatedUser").put("username", event.impersonatedUser());
        }
        if (!event.tenant().isEmpty()) {
            object.put("tenant", event.tenant());
        }
        if (!event.sourceIp().isEmpty()) {
            object.putArray("sourceIPs").add(event.sourceIp());
        }
        object.put("userAgent", event.userAgent());
        if (!event.resource().isEmpty()) {
            ObjectNode ref = object.putObject("objectRef");
            ref.put("resource", event.resource());
            putIfSet(ref, "namespace", event.namespace());
            putIfSet(ref, "name", event.name());
            ref.put("apiGroup", event.apiGroup());
            putIfSet(ref, "subresource", event.subresource());
        }
        object.putObject("responseStatus").put("code", event.code());
        object.put("requestReceivedTimestamp", MICRO_TIME.format(event.receivedAt()));
        return object;
    }

    /** The event an {@link #object} describes (a spool line read back). */
    public static AuditEvent event(JsonNode object) {
        List<String> groups = new ArrayList<>();
        object.path("user").path("groups").forEach(g -> groups.add(g.asText()));
        JsonNode ref = object.path("objectRef");
        return new AuditEvent(UUID.fromString(object.path("metadata").path("uid").asText()),
                object.path("auditID").asText(), Instant.parse(object.path("requestReceivedTimestamp").asText()),
                object.path("user").path("username").asText(), groups,
                object.path("impersonatedUser").path("username").asText(""), object.path("tenant").asText(""),
                object.path("verb").asText(), ref.path("apiGroup").asText(""), ref.path("resource").asText(""),
                ref.path("subresource").asText(""), object.path("metadata").path("namespace").asText(""),
                ref.path("name").asText(""), object.path("requestURI").asText(""),
                object.path("responseStatus").path("code").asInt(), object.path("userAgent").asText(""),
                object.path("sourceIPs").path(0).asText(""));
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (!value.isEmpty()) {
            node.put(field, value);
        }
    }
}
