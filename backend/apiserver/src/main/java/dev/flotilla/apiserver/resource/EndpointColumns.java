package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The ENDPOINTS and PORTS cells of Endpoints and EndpointSlices as upstream's printers write them:
 * at most three entries, then {@code + N more...}.
 */
final class EndpointColumns {

    private static final int MAX = 3;

    private EndpointColumns() {
    }

    /** Ready addresses as {@code ip:port} per port of each subset ({@code ip} alone without ports). */
    static String endpoints(ObjectNode endpoints) {
        JsonNode subsets = endpoints.path("subsets");
        if (subsets.isEmpty()) {
            return "<none>";
        }
        List<String> list = new ArrayList<>();
        int count = 0;
        for (JsonNode subset : subsets) {
            JsonNode addresses = subset.path("addresses");
            if (subset.path("ports").isEmpty()) {
                count += addresses.size();
                addresses.forEach(a -> add(list, a.path("ip").asText()));
                continue;
            }
            for (JsonNode port : subset.path("ports")) {
                count += addresses.size();
                for (JsonNode address : addresses) {
                    add(list, hostPort(address.path("ip").asText(), port.path("port").asText()));
                }
            }
        }
        return joined(list, count, "<none>");
    }

    static String slicePorts(ObjectNode slice) {
        List<String> list = new ArrayList<>();
        int count = 0;
        for (JsonNode port : slice.path("ports")) {
            add(list, port.has("port") ? port.path("port").asText() : port.has("name") ? port.path("name").asText() : "*");
            count++;
        }
        return joined(list, count, "<unset>");
    }

    static String sliceEndpoints(ObjectNode slice) {
        List<String> list = new ArrayList<>();
        int count = 0;
        for (JsonNode endpoint : slice.path("endpoints")) {
            for (JsonNode address : endpoint.path("addresses")) {
                add(list, address.asText());
                count++;
            }
        }
        return joined(list, count, "<unset>");
    }

    private static void add(List<String> list, String entry) {
        if (list.size() < MAX) {
            list.add(entry);
        }
    }

    private static String joined(List<String> list, int count, String empty) {
        String text = String.join(",", list);
        if (count > MAX) {
            return text + " + " + (count - MAX) + " more...";
        }
        return text.isEmpty() ? empty : text;
    }

    private static String hostPort(String ip, String port) {
        return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
