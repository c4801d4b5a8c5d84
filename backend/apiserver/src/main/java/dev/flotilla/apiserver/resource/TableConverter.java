package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Server-side tables ({@code as=Table;v=v1;g=meta.k8s.io}), which is how {@code kubectl get} asks
 * for its columns. Every kind gets NAME and AGE (upstream's default); kind-specific columns plug in
 * here as they are written.
 */
final class TableConverter {

    private TableConverter() {
    }

    static boolean wantsTable(String accept) {
        return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
    }

    static ObjectNode table(List<ObjectNode> objects, ObjectNode listMetadata) {
        ObjectNode table = Json.mapper().createObjectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.set("metadata", listMetadata == null ? Json.mapper().createObjectNode() : listMetadata);
        ArrayNode columns = table.putArray("columnDefinitions");
        column(columns, "Name", "string", "name", "Name must be unique within a namespace. Is required when creating "
                + "resources, although some resources may allow a client to request the generation of an appropriate "
                + "name automatically. Name is primarily intended for creation idempotence and configuration "
                + "definition. Cannot be updated.");
        column(columns, "Age", "string", "", "CreationTimestamp is a timestamp representing the server time when "
                + "this object was created.");
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            rows.add(row(object));
        }
        return table;
    }

    static ObjectNode row(ObjectNode object) {
        ObjectMetadata meta = ObjectMetadata.of(object);
        ObjectNode row = Json.mapper().createObjectNode();
        ArrayNode cells = row.putArray("cells");
        cells.add(meta.name());
        cells.add(age(meta.text("creationTimestamp")));
        ObjectNode partial = Json.mapper().createObjectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", meta.metadata().deepCopy());
        row.set("object", partial);
        return row;
    }

    private static void column(ArrayNode columns, String name, String type, String format, String description) {
        ObjectNode column = columns.addObject();
        column.put("name", name);
        column.put("type", type);
        column.put("format", format);
        column.put("description", description);
        column.put("priority", 0);
    }

    /** kubectl's short human duration: 45s, 12m, 3h, 5d, 2y. */
    static String age(String timestamp) {
        if (timestamp == null) {
            return "<unknown>";
        }
        try {
            Duration d = Duration.between(Instant.parse(timestamp), Instant.now());
            if (d.isNegative()) {
                return "0s";
            }
            long s = d.getSeconds();
            if (s < 120) {
                return s + "s";
            }
            long m = s / 60;
            if (m < 10) {
                return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
            }
            if (m < 180) {
                return m + "m";
            }
            long h = m / 60;
            if (h < 8) {
                return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
            }
            if (h < 48) {
                return h + "h";
            }
            long days = h / 24;
            if (days < 8) {
                return days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
            }
            return days < 730 ? days + "d" : (days / 365) + "y";
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }
}
