package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Server-side tables ({@code as=Table;v=v1;g=meta.k8s.io}), which is how {@code kubectl get} asks
 * for its columns, as {@link PrinterColumns} defines them per kind.
 */
public final class TableConverter {

    private TableConverter() {
    }

    public static boolean wantsTable(String accept) {
        return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
    }

    public static ObjectNode table(ResourceType type, List<ObjectNode> objects, ObjectNode listMetadata) {
        List<PrinterColumns.Column> columns = type.isCustom() ? CustomResourceColumns.of(type)
                : PrinterColumns.forKind(type.group(), type.kind());
        ObjectNode table = Json.mapper().createObjectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.set("metadata", listMetadata == null ? Json.mapper().createObjectNode() : listMetadata);
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (PrinterColumns.Column column : columns) {
            column(definitions, column);
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            rows.add(row(columns, object));
        }
        return table;
    }

    private static ObjectNode row(List<PrinterColumns.Column> columns, ObjectNode object) {
        ObjectMetadata meta = ObjectMetadata.of(object);
        ObjectNode row = Json.mapper().createObjectNode();
        ArrayNode cells = row.putArray("cells");
        for (PrinterColumns.Column column : columns) {
            cells.addPOJO(column.cell().apply(object));
        }
        ObjectNode partial = Json.mapper().createObjectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", meta.metadata().deepCopy());
        row.set("object", partial);
        return row;
    }

    private static void column(ArrayNode definitions, PrinterColumns.Column column) {
        ObjectNode definition = definitions.addObject();
        definition.put("name", column.name());
        definition.put("type", column.type());
        definition.put("format", column.name().equals("Name") ? "name" : "");
        definition.put("description", column.name().equals("Name") ? "Name must be unique within a namespace."
                : column.name());
        definition.put("priority", column.priority());
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
