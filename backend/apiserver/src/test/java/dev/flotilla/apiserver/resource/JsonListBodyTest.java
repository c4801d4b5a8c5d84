package dev.flotilla.apiserver.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.storage.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonListBodyTest {

    private final ResourceType pods = new ResourceRegistry().find("", "v1", "pods").orElseThrow();

    @Test
    void joinedItemsAreTheDocumentTheTreeEncoderWrites() {
        for (int count : new int[] {0, 1, 3}) {
            List<StoredObject> stored = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String json = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p" + i
                        + "\",\"namespace\":\"ns\",\"labels\":{\"é\":\"ü\"}},\"spec\":{\"containers\":[]}}";
                stored.add(new StoredObject("/registry/core/pods/ns/p" + i, json.getBytes(StandardCharsets.UTF_8),
                        10 + i, 10 + i));
            }
            ObjectNode meta = Json.mapper().createObjectNode().put("resourceVersion", "42");

            byte[] joined = JsonListBody.of(pods, meta.deepCopy(),
                    stored.stream().map(ResourceStore::encode).toList());

            ObjectNode tree = Json.mapper().createObjectNode();
            tree.put("kind", "PodList");
            tree.put("apiVersion", "v1");
            tree.set("metadata", meta);
            ArrayNode items = tree.putArray("items");
            stored.forEach(object -> items.add(ResourceStore.decode(object)));
            assertThat(new String(joined, StandardCharsets.UTF_8))
                    .isEqualTo(new String(Json.toBytes(tree), StandardCharsets.UTF_8));
        }
    }
}
