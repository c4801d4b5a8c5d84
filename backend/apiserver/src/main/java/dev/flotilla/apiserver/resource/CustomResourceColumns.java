package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.CustomResource;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.crd.JsonPathColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The table columns of a custom resource, as upstream builds them from the CRD: NAME, then the
 * version's additionalPrinterColumns (JSONPath cells; {@code date} columns shown as an age), or AGE
 * when the CRD declares none.
 */
final class CustomResourceColumns {

    private CustomResourceColumns() {
    }

    static List<PrinterColumns.Column> of(ResourceType type) {
        List<PrinterColumns.Column> columns = new ArrayList<>();
        columns.add(new PrinterColumns.Column("Name", "string", 0, o -> ObjectMetadata.of(o).name()));
        List<CustomResource.PrinterColumn> declared = type.custom().printerColumns();
        if (declared.isEmpty()) {
            columns.add(new PrinterColumns.Column("Age", "date", 0,
                    o -> TableConverter.age(ObjectMetadata.of(o).text("creationTimestamp"))));
            return columns;
        }
        for (CustomResource.PrinterColumn column : declared) {
            columns.add(new PrinterColumns.Column(column.name(), column.type(), column.priority(), cell(column)));
        }
        return columns;
    }

    private static Function<ObjectNode, Object> cell(CustomResource.PrinterColumn column) {
        return object -> {
            List<JsonNode> values = JsonPathColumn.find(object, column.jsonPath());
            if (values.isEmpty()) {
                return null;
            }
            JsonNode first = values.get(0);
            return switch (column.type()) {
                case "date" -> TableConverter.age(first.asText());
                case "integer" -> first.isNumber() ? first.asLong() : first.asText();
                case "number" -> first.isNumber() ? first.numberValue() : first.asText();
                case "boolean" -> first.isBoolean() ? first.asBoolean() : first.asText();
                default -> String.join(",", values.stream()
                        .map(v -> v.isValueNode() ? v.asText() : v.toString()).toList());
            };
        };
    }
}
