package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A JSON list body written by joining its items' JSON bytes: the same document as encoding the
 * list as one tree ({@code {"kind":..,"apiVersion":..,"metadata":{..},"items":[..]}}), without
 * parsing or re-encoding the items, copied once into an array of the exact size.
 */
final class JsonListBody {

    private static final byte[] ITEMS_START = ",\"items\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END = "]}".getBytes(StandardCharsets.UTF_8);

    private JsonListBody() {
    }

    static byte[] of(ResourceType type, ObjectNode listMeta, List<byte[]> items) {
        ObjectNode head = Json.mapper().createObjectNode();
        head.put("kind", type.listKind());
        head.put("apiVersion", type.apiVersion());
        head.set("metadata", listMeta);
        byte[] headBytes = Json.toBytes(head);
        int headLength = headBytes.length - 1; // without its closing brace
        long size = (long) headLength + ITEMS_START.length + END.length + Math.max(items.size() - 1, 0);
        for (byte[] item : items) {
            size += item.length;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("list of " + items.size() + " objects is too large to send at once");
        }
        byte[] body = new byte[(int) size];
        int at = put(body, 0, headBytes, headLength);
        at = put(body, at, ITEMS_START, ITEMS_START.length);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            at = put(body, at, items.get(i), items.get(i).length);
        }
        put(body, at, END, END.length);
        return body;
    }

    private static int put(byte[] body, int at, byte[] part, int length) {
        System.arraycopy(part, 0, body, at, length);
        return at + length;
    }
}
