package dev.flotilla.apiserver.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

    private static String patch(String target, String patch) throws Exception {
        JsonNode result = StrategicMergePatch.apply(Json.mapper().readTree(target), Json.mapper().readTree(patch));
        return result.toString();
    }

    @Test
    void containersMergeByNameKeepingFieldsThePatchDoesNotName() throws Exception {
        String live = "{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"a\",\"imagePullPolicy\":\"Always\"},"
                + "{\"name\":\"side\",\"image\":\"s\"}]}}";
        assertThat(patch(live, "{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"b\"}]}}")).isEqualTo(
                "{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"b\",\"imagePullPolicy\":\"Always\"},"
                        + "{\"name\":\"side\",\"image\":\"s\"}]}}");
    }

    @Test
    void itemsAreAddedAndDeletedByKey() throws Exception {
        String live = "{\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}]}";
        assertThat(patch(live, "{\"env\":[{\"name\":\"B\",\"$patch\":\"delete\"},{\"name\":\"C\",\"value\":\"3\"}],"
                + "\"$setElementOrder/env\":[{\"name\":\"A\"},{\"name\":\"C\"}]}"))
                .isEqualTo("{\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"C\",\"value\":\"3\"}]}");
    }

    @Test
    void containerPortsAndServicePortsHaveDifferentKeys() throws Exception {
        assertThat(patch("{\"ports\":[{\"containerPort\":80,\"name\":\"http\"}]}",
                "{\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}]}"))
                .isEqualTo("{\"ports\":[{\"containerPort\":80,\"name\":\"http\",\"protocol\":\"TCP\"}]}");
        assertThat(patch("{\"ports\":[{\"port\":80,\"nodePort\":30080}]}", "{\"ports\":[{\"port\":80,\"name\":\"web\"}]}"))
                .isEqualTo("{\"ports\":[{\"port\":80,\"nodePort\":30080,\"name\":\"web\"}]}");
    }

    @Test
    void listsWithoutMergeKeysAreReplacedAndFinalizersMergeAsSets() throws Exception {
        assertThat(patch("{\"args\":[\"a\",\"b\"]}", "{\"args\":[\"c\"]}")).isEqualTo("{\"args\":[\"c\"]}");
        assertThat(patch("{\"finalizers\":[\"x\"]}", "{\"finalizers\":[\"x\",\"y\"]}"))
                .isEqualTo("{\"finalizers\":[\"x\",\"y\"]}");
        assertThat(patch("{\"finalizers\":[\"x\",\"y\"]}", "{\"$deleteFromPrimitiveList/finalizers\":[\"x\"]}"))
                .isEqualTo("{\"finalizers\":[\"y\"]}");
    }

    @Test
    void replaceAndRetainKeysDirectives() throws Exception {
        assertThat(patch("{\"spec\":{\"a\":1,\"b\":2}}", "{\"spec\":{\"$patch\":\"replace\",\"c\":3}}"))
                .isEqualTo("{\"spec\":{\"c\":3}}");
        assertThat(patch("{\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1}}}",
                "{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\"}}"))
                .isEqualTo("{\"strategy\":{\"type\":\"Recreate\"}}");
        assertThat(patch("{\"metadata\":{\"labels\":{\"a\":\"1\"}}}", "{\"metadata\":{\"labels\":{\"a\":null}}}"))
                .isEqualTo("{\"metadata\":{\"labels\":{}}}");
    }
}
