package dev.flotilla.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.apply.FieldOwnership;
import dev.flotilla.api.apply.ManagedFieldsEntry;
import dev.flotilla.api.apply.ObjectShapes;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.http.ApiRequest;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * Keeps {@code metadata.managedFields} on every write, as upstream's field manager: creates, updates
 * and patches record an Update entry for the writer's manager name, and server-side apply
 * ({@code application/apply-patch+yaml}) merges an applied configuration under the rules of
 * {@link FieldOwnership}.
 */
@Singleton
public class FieldManager {

    public static final String APPLY_PATCH = "application/apply-patch+yaml";
    private static final int MAX_MANAGER_LENGTH = 128;
    private static final Set<String> SYSTEM_METADATA = Set.of("f:name", "f:namespace", "f:uid", "f:resourceVersion",
            "f:generation", "f:creationTimestamp", "f:selfLink", "f:managedFields", "f:deletionTimestamp",
            "f:deletionGracePeriodSeconds");

    private final ObjectShapes shapes;

    public FieldManager(ObjectShapes shapes) {
        this.shapes = shapes;
    }

    public static boolean isApply(ApiRequest request) {
        String contentType = request.headers().get("Content-Type");
        return contentType != null && contentType.split(";")[0].trim().equalsIgnoreCase(APPLY_PATCH);
    }

    /** Records the creator's fields on a new object (an apply has already recorded its own). */
    public void recordCreate(ApiRequest request, ResourceType type, ObjectNode created, String optionsKind) {
        String manager = manager(request, optionsKind);
        if (isApply(request)) {
            return;
        }
        JsonNode sent = metadata(created).remove("managedFields");
        List<ManagedFieldsEntry> entries = ManagedFieldsEntry.isReset(sent) ? List.of() : ManagedFieldsEntry.parse(sent);
        write(created, ownership(type, null).update(entries, Json.mapper().createObjectNode(), created, manager,
                type.apiVersion(), "", now()));
    }

    /**
     * Records an update or non-apply patch of {@code stored} into {@code updated}. managedFields the
     * client sent replace the stored ones (an empty list clears them); writes to a subresource keep
     * the stored ones.
     */
    public void recordUpdate(ApiRequest request, ResourceType type, ObjectNode updated, ObjectNode stored,
            String subresource) {
        String manager = manager(request, isPatch(request) ? "PatchOptions" : "UpdateOptions");
        if (isApply(request)) {
            return;
        }
        JsonNode sent = metadata(updated).remove("managedFields");
        JsonNode live = metadata(stored).get("managedFields");
        List<ManagedFieldsEntry> entries;
        if (subresource != null) {
            entries = ManagedFieldsEntry.parse(live);
        } else if (ManagedFieldsEntry.isReset(sent)) {
            entries = List.of();
        } else {
            List<ManagedFieldsEntry> fromClient = ManagedFieldsEntry.parse(sent);
            entries = fromClient.isEmpty() ? ManagedFieldsEntry.parse(live) : fromClient;
        }
        write(updated, ownership(type, subresource).update(entries, stored, updated, manager, type.apiVersion(),
                subresource == null ? "" : subresource, now()));
    }

    /**
     * Server-side apply of {@code applied} over {@code live} (null when the object does not exist yet):
     * the merged object, with its managedFields, ready to be created or updated.
     */
    public ObjectNode apply(ApiRequest request, ResourceType type, ObjectNode live, ObjectNode applied,
            String subresource) {
        String manager = manager(request, "PatchOptions");
        if (manager.isEmpty()) {
            throw ApiError.invalid("meta.k8s.io", "PatchOptions", "",
                    List.of(FieldError.required("fieldManager", "is required for apply patch")));
        }
        metadata(applied).remove("managedFields");
        ObjectNode base = live == null ? Json.mapper().createObjectNode() : live.deepCopy();
        List<ManagedFieldsEntry> entries = ManagedFieldsEntry.parse(metadata(base).remove("managedFields"));
        FieldOwnership.Applied result = ownership(type, subresource).apply(entries, base, applied, manager,
                type.apiVersion(), subresource == null ? "" : subresource, "true".equals(request.queryParam("force")),
                now());
        ObjectNode merged = (ObjectNode) result.object();
        write(merged, result.entries());
        return merged;
    }

    private FieldOwnership ownership(ResourceType type, String subresource) {
        boolean statusWrite = "status".equals(subresource);
        boolean statusElsewhere = type.hasSubresource("status") && !statusWrite;
        return new FieldOwnership(shapes.of(type), path -> {
            String first = path.get(0);
            if (first.equals("f:apiVersion") || first.equals("f:kind")) {
                return false;
            }
            if (first.equals("f:metadata") && path.size() > 1 && SYSTEM_METADATA.contains(path.get(1))) {
                return false;
            }
            return statusWrite ? first.equals("f:status") : !(statusElsewhere && first.equals("f:status"));
        });
    }

    /**
     * The manager of a write: the fieldManager parameter, else the User-Agent up to its first "/",
     * as upstream defaults it; validated as upstream does (at most 128 printable characters).
     */
    private static String manager(ApiRequest request, String optionsKind) {
        if (!isApply(request) && request.hasQueryParam("force") && isPatch(request)) {
            throw ApiError.invalid("meta.k8s.io", "PatchOptions", "",
                    List.of(FieldError.forbidden("force", "may not be specified for non-apply patch")));
        }
        String asked = request.queryParam("fieldManager");
        if (asked != null && !asked.isEmpty()) {
            validate(asked, optionsKind);
            return asked;
        }
        if (isApply(request)) {
            return "";
        }
        String agent = request.headers().get("User-Agent");
        return agent == null ? "" : agent.split("/", 2)[0];
    }

    private static void validate(String manager, String optionsKind) {
        if (manager.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_MANAGER_LENGTH) {
            throw ApiError.invalid("meta.k8s.io", optionsKind, "", List.of(new FieldError("fieldManager",
                    FieldError.Type.TOO_LONG, null, "may not be more than " + MAX_MANAGER_LENGTH + " bytes")));
        }
        for (int i = 0; i < manager.length(); ) {
            int c = manager.codePointAt(i);
            if (!printable(c)) {
                throw ApiError.invalid("meta.k8s.io", optionsKind, "", List.of(FieldError.invalid("fieldManager",
                        new FieldError.GoValue(goQuoted(manager)),
                        String.format("invalid character U+%04X (at position %d)", c, i))));
            }
            i += Character.charCount(c);
        }
    }

    /** A string as Go's %q prints it, so a control character shows as an escape. */
    private static String goQuoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            int at = "\u0007\b\f\n\r\t\u000b\\\"".indexOf(c);
            if (at >= 0) {
                quoted.append('\\').append("abfnrtv\\\"".charAt(at));
            } else if (printable(c)) {
                quoted.appendCodePoint(c);
            } else {
                quoted.append(c < 0x80 ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
            }
        });
        return quoted.append('"').toString();
    }

    private static boolean printable(int c) {
        int type = Character.getType(c);
        return c == ' ' || !(Character.isISOControl(c) || Character.isWhitespace(c) || type == Character.FORMAT
                || type == Character.UNASSIGNED || type == Character.SURROGATE || type == Character.PRIVATE_USE);
    }

    private static boolean isPatch(ApiRequest request) {
        return request.method().name().equals("PATCH");
    }

    private static void write(ObjectNode object, List<ManagedFieldsEntry> entries) {
        if (entries.isEmpty()) {
            metadata(object).remove("managedFields");
        } else {
            metadata(object).set("managedFields", ManagedFieldsEntry.toJson(entries));
        }
    }

    private static ObjectNode metadata(ObjectNode object) {
        JsonNode meta = object.get("metadata");
        if (meta instanceof ObjectNode node) {
            return node;
        }
        return object.putObject("metadata");
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
