package dev.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code metadata.managedFields}: the fields one manager owns through one operation
 * (Apply or Update) on the main resource or a subresource.
 */
public record ManagedFieldsEntry(String manager, String operation, String apiVersion, String time,
        String subresource, FieldSet fields) {

    public static final String APPLY = "Apply";
    public static final String UPDATE = "Update";

    /** Whether this entry and one written by {@code manager}/{@code operation} are the same owner, as upstream keys them. */
    public boolean sameOwner(String manager, String operation, String apiVersion, String subresource) {
        return this.manager.equals(manager) && this.operation.equals(operation)
                && this.subresource.equals(subresource)
                && (operation.equals(APPLY) || this.apiVersion.equals(apiVersion));
    }

    public ManagedFieldsEntry withFields(FieldSet newFields) {
        return new ManagedFieldsEntry(manager, operation, apiVersion, time, subresource, newFields);
    }

    /** How conflict messages name this owner: {@code "kubectl-edit" using apps/v1} for updaters. */
    public String describe() {
        String text = "\"" + manager + "\"";
        if (!subresource.isEmpty()) {
            text += " with subresource \"" + subresource + "\"";
        }
        return operation.equals(UPDATE) ? text + " using " + apiVersion : text;
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("manager", manager);
        json.put("operation", operation);
        json.put("apiVersion", apiVersion);
        if (time != null) {
            json.put("time", time);
        }
        json.put("fieldsType", "FieldsV1");
        json.set("fieldsV1", fields.toJson());
        if (!subresource.isEmpty()) {
            json.put("subresource", subresource);
        }
        return json;
    }

    /** The entries of a managedFields list; entries that cannot be read are left out, as upstream ignores them. */
    public static List<ManagedFieldsEntry> parse(JsonNode managedFields) {
        List<ManagedFieldsEntry> entries = new ArrayList<>();
        if (managedFields == null || !managedFields.isArray()) {
            return entries;
        }
        for (JsonNode item : managedFields) {
            try {
                entries.add(new ManagedFieldsEntry(item.path("manager").asText(""),
                        item.path("operation").asText(""), item.path("apiVersion").asText(""),
                        item.hasNonNull("time") ? item.get("time").asText() : null,
                        item.path("subresource").asText(""),
                        item.has("fieldsV1") ? FieldSet.fromJson(item.get("fieldsV1")) : new FieldSet()));
            } catch (IllegalArgumentException e) {
                // A malformed entry is dropped rather than failing the write.
            }
        }
        return entries;
    }

    public static ArrayNode toJson(List<ManagedFieldsEntry> entries) {
        ArrayNode array = Json.mapper().createArrayNode();
        entries.forEach(entry -> array.add(entry.toJson()));
        return array;
    }

    /**
     * Whether a managedFields list sent by a client asks to clear the record: an empty list, or one
     * entry with nothing in it (upstream's documented way to strip managedFields).
     */
    public static boolean isReset(JsonNode managedFields) {
        if (managedFields == null || !managedFields.isArray()) {
            return false;
        }
        return managedFields.isEmpty() || managedFields.size() == 1 && managedFields.get(0).isObject()
                && managedFields.get(0).isEmpty();
    }
}
