package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.apiserver.resource.PrinterColumns.Column;
import java.util.List;
import java.util.Locale;

/**
 * Upstream's event printer, for core/v1 and events.k8s.io/v1 Events alike (their fields differ in
 * name only): LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, and with -o wide SUBOBJECT, SOURCE, FIRST
 * SEEN, COUNT, NAME.
 */
final class EventColumns {

    private EventColumns() {
    }

    static List<Column> columns() {
        return List.of(
                new Column("Last Seen", "string", 0, EventColumns::lastSeen),
                new Column("Type", "string", 0, o -> o.path("type").asText("")),
                new Column("Reason", "string", 0, o -> o.path("reason").asText("")),
                new Column("Object", "string", 0, EventColumns::target),
                new Column("Subobject", "string", 1, o -> regarding(o).path("fieldPath").asText("")),
                new Column("Source", "string", 1, EventColumns::source),
                new Column("Message", "string", 0, o -> first(o, "message", "note").asText("").strip()),
                new Column("First Seen", "string", 1, EventColumns::firstSeen),
                new Column("Count", "string", 1, EventColumns::count),
                new Column("Name", "string", 1, o -> ObjectMetadata.of(o).name()));
    }

    private static JsonNode regarding(ObjectNode o) {
        return first(o, "involvedObject", "regarding");
    }

    private static JsonNode first(ObjectNode o, String core, String events) {
        JsonNode value = o.get(core);
        return value == null || value.isNull() ? o.path(events) : value;
    }

    private static String target(ObjectNode o) {
        JsonNode object = regarding(o);
        String kind = object.path("kind").asText("").toLowerCase(Locale.ROOT);
        String name = object.path("name").asText("");
        return name.isEmpty() ? kind : kind + "/" + name;
    }

    private static String firstSeen(ObjectNode o) {
        String first = timestamp(first(o, "firstTimestamp", "deprecatedFirstTimestamp"));
        return TableConverter.age(first != null ? first : timestamp(o.path("eventTime")));
    }

    private static String lastSeen(ObjectNode o) {
        JsonNode series = o.path("series");
        String observed = timestamp(first(o, "lastTimestamp", "deprecatedLastTimestamp"));
        if (series.isObject()) {
            observed = timestamp(series.path("lastObservedTime"));
        }
        return observed != null ? TableConverter.age(observed) : firstSeen(o);
    }

    private static Object count(ObjectNode o) {
        JsonNode series = o.path("series");
        long count = series.isObject() ? series.path("count").asLong(0) : first(o, "count", "deprecatedCount").asLong(0);
        return count == 0 ? 1 : count;
    }

    private static String source(ObjectNode o) {
        JsonNode source = first(o, "source", "deprecatedSource");
        String component = source.path("component").asText("");
        if (component.isEmpty()) {
            component = first(o, "reportingComponent", "reportingController").asText("");
        }
        String host = source.path("host").asText("");
        if (host.isEmpty()) {
            host = o.path("reportingInstance").asText("");
        }
        return host.isEmpty() ? component : component + ", " + host;
    }

    private static String timestamp(JsonNode value) {
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }
}
