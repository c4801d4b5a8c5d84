package dev.flotilla.apiserver.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.selector.FieldRequirement;
import dev.flotilla.api.selector.FieldSelector;
import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.api.selector.Operator;
import dev.flotilla.api.selector.SelectorParseException;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.resource.ReadOnlyResource;
import dev.flotilla.apiserver.resource.Requests;
import dev.flotilla.apiserver.resource.ResourceRequest;
import dev.flotilla.apiserver.resource.TableConverter;
import dev.flotilla.platform.audit.AuditEvent;
import dev.flotilla.platform.audit.AuditEventStore;
import dev.flotilla.platform.audit.AuditQuery;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code audit.flotilla.dev/v1} {@code auditevents}: get and list, newest first, of the events the
 * caller may see ({@link AuditVisibility}). Lists filter with field selectors ({@code user.username},
 * {@code verb}, {@code objectRef.resource}, {@code metadata.namespace}, and the time range
 * {@code since} / {@code until}, RFC 3339 times) and page with {@code limit} and {@code continue}.
 */
@Singleton
public class AuditEventsResource implements ReadOnlyResource {

    static final int MAX_PAGE = 1000;
    private static final Set<String> FIELDS = Set.of("user.username", "verb", "objectRef.resource",
            "metadata.namespace", "since", "until");

    private final AuditEventStore store;
    private final AuditVisibility visibility;

    public AuditEventsResource(AuditEventStore store, AuditVisibility visibility) {
        this.store = store;
        this.visibility = visibility;
    }

    @Override
    public boolean serves(ResourceType type) {
        return type.group().equals(AuditEventJson.GROUP) && type.resource().equals(AuditEventJson.RESOURCE);
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        String method = request.method().name();
        if (!method.equals("GET")) {
            throw ApiError.methodNotAllowed(method);
        }
        if (target.subresource() != null) {
            throw ApiError.notFoundPath();
        }
        if (isTrue(request.queryParam("watch"))) {
            throw ApiError.methodNotAllowed("watch");
        }
        try {
            return target.isCollection() ? list(request, target) : get(request, target);
        } catch (SQLException e) {
            throw ApiError.serviceUnavailable("audit events are unavailable: the platform database (PostgreSQL)"
                    + " cannot be reached");
        }
    }

    private ApiResponse get(ApiRequest request, ResourceRequest target) throws SQLException {
        ApiError notFound = ApiError.notFound(AuditEventJson.GROUP, AuditEventJson.RESOURCE, target.name());
        UUID id;
        try {
            id = UUID.fromString(target.name());
        } catch (IllegalArgumentException e) {
            throw notFound;
        }
        AuditEvent event = store.find(id).orElseThrow(() -> notFound);
        Set<String> visible = visibility.visibleNamespaces(request.user());
        if (!event.namespace().equals(target.namespace() == null ? event.namespace() : target.namespace())
                || (visible != null && !visible.contains(event.namespace()))) {
            throw notFound;
        }
        ObjectNode object = AuditEventJson.object(event);
        if (TableConverter.wantsTable(request.headers().get("Accept"))) {
            return Requests.respond(request, 200, TableConverter.table(target.type(), List.of(object), null));
        }
        return Requests.respond(request, 200, object);
    }

    private ApiResponse list(ApiRequest request, ResourceRequest target) throws SQLException {
        AuditQuery query = query(request, target);
        List<AuditEvent> events;
        if (query.visibleNamespaces() != null && query.visibleNamespaces().isEmpty()) {
            events = List.of();
        } else {
            events = store.list(new AuditQuery(query.user(), query.verb(), query.resource(), query.namespace(),
                    query.since(), query.until(), query.visibleNamespaces(), query.limit() + 1, query.after()));
        }
        ObjectNode listMeta = Json.mapper().createObjectNode();
        if (events.size() > query.limit()) {
            events = events.subList(0, query.limit());
            AuditEvent last = events.get(events.size() - 1);
            listMeta.put("continue", encodeContinue(new AuditQuery.Position(last.receivedAt(), last.id())));
        }
        List<ObjectNode> objects = events.stream().map(AuditEventJson::object).toList();
        if (TableConverter.wantsTable(request.headers().get("Accept"))) {
            return Requests.respond(request, 200, TableConverter.table(target.type(), objects, listMeta));
        }
        ObjectNode list = Json.mapper().createObjectNode();
        list.put("kind", AuditEventJson.KIND + "List");
        list.put("apiVersion", AuditEventJson.API_VERSION);
        list.set("metadata", listMeta);
        ArrayNode items = list.putArray("items");
        objects.forEach(items::add);
        return Requests.respond(request, 200, list);
    }

    private AuditQuery query(ApiRequest request, ResourceRequest target) {
        FieldSelector fields;
        try {
            fields = FieldSelector.parse(request.queryParam("fieldSelector"));
            fields.validateFields(FIELDS);
            if (!LabelSelector.parse(request.queryParam("labelSelector")).matches(Map.of())) {
                // Audit events carry no labels: a selector that needs one matches none of them.
                return new AuditQuery(null, null, null, null, null, null, Set.of(), 1, null);
            }
        } catch (SelectorParseException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        String user = null;
        String verb = null;
        String resource = null;
        String namespace = target.namespace();
        Instant since = null;
        Instant until = null;
        for (FieldRequirement requirement : fields.requirements()) {
            if (requirement.operator() != Operator.EQUALS && requirement.operator() != Operator.DOUBLE_EQUALS) {
                throw ApiError.badRequest("field selector " + requirement + ": auditevents support only = and ==");
            }
            String value = requirement.value();
            switch (requirement.field()) {
                case "user.username" -> user = value;
                case "verb" -> verb = value;
                case "objectRef.resource" -> resource = value;
                case "metadata.namespace" -> namespace = narrowed(namespace, value);
                case "since" -> since = time(requirement);
                case "until" -> until = time(requirement);
                default -> {
                    return new AuditQuery(null, null, null, null, null, null, Set.of(), 1, null);
                }
            }
        }
        Set<String> visible = visibility.visibleNamespaces(request.user());
        if (namespace != null && visible != null) {
            visible = visible.contains(namespace) ? Set.of(namespace) : Set.of();
        }
        String cont = request.queryParam("continue");
        return new AuditQuery(user, verb, resource, namespace, since, until, visible, limit(request),
                cont == null || cont.isEmpty() ? null : decodeContinue(cont));
    }

    /** A namespace asked for twice (URL and selector) must agree; otherwise nothing matches. */
    private static String narrowed(String namespace, String value) {
        return namespace == null || namespace.equals(value) ? value : "\u0000";
    }

    private static Instant time(FieldRequirement requirement) {
        try {
            return Instant.parse(requirement.value());
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("field selector " + requirement + ": " + requirement.field()
                    + " must be an RFC 3339 time such as 2026-01-02T15:04:05Z");
        }
    }

    private static int limit(ApiRequest request) {
        String value = request.queryParam("limit");
        if (value == null || value.isEmpty()) {
            return MAX_PAGE;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit < 0) {
                throw ApiError.badRequest("limit: Invalid value: " + value + ": must be greater than or equal to 0");
            }
            return limit == 0 ? MAX_PAGE : Math.min(limit, MAX_PAGE);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("limit: Invalid value: \"" + value + "\": must be an integer");
        }
    }

    static String encodeContinue(AuditQuery.Position position) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("v", AuditEventJson.API_VERSION);
        node.put("t", position.receivedAt().toString());
        node.put("id", position.id().toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    static AuditQuery.Position decodeContinue(String token) {
        try {
            JsonNode node = Json.mapper().readTree(Base64.getUrlDecoder().decode(token.trim()));
            if (node == null || !node.path("v").asText().equals(AuditEventJson.API_VERSION)) {
                throw invalidContinue();
            }
            return new AuditQuery.Position(Instant.parse(node.path("t").asText()),
                    UUID.fromString(node.path("id").asText()));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw invalidContinue();
        }
    }

    private static ApiError invalidContinue() {
        return ApiError.badRequest("continue key is not valid: not a continue token of auditevents");
    }

    private static boolean isTrue(String value) {
        return "true".equals(value) || "1".equals(value);
    }
}
