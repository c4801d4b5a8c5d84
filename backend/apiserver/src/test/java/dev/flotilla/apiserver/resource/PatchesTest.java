package dev.flotilla.apiserver.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.ApiError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PatchesTest {

    private static ObjectNode object(String json) throws Exception {
        return (ObjectNode) Json.mapper().readTree(json);
    }

    private static ObjectNode patch(String target, String patch, String type) throws Exception {
        return Patches.apply(object(target), Patches.parse(patch.getBytes(StandardCharsets.UTF_8), type), type);
    }

    @Test
    void mergePatchSetsNestedValuesAndNullRemoves() throws Exception {
        ObjectNode result = patch("{\"metadata\":{\"labels\":{\"a\":\"1\",\"b\":\"2\"}},\"spec\":{\"replicas\":1}}",
                "{\"metadata\":{\"labels\":{\"b\":null,\"c\":\"3\"}},\"spec\":{\"replicas\":4}}", Patches.MERGE_PATCH);
        assertThat(result.toString()).isEqualTo("{\"metadata\":{\"labels\":{\"a\":\"1\",\"c\":\"3\"}},\"spec\":{\"replicas\":4}}");
    }

    @Test
    void strategicMergeIgnoresDirectivesForNow() throws Exception {
        ObjectNode result = patch("{\"data\":{\"a\":\"1\"}}", "{\"$setElementOrder/x\":[],\"data\":{\"b\":\"2\"}}",
                Patches.STRATEGIC_MERGE_PATCH + "; charset=utf-8");
        assertThat(result.toString()).isEqualTo("{\"data\":{\"a\":\"1\",\"b\":\"2\"}}");
    }

    @Test
    void jsonPatchOperations() throws Exception {
        ObjectNode result = patch("{\"a\":{\"b\":1},\"list\":[1,2,3]}", """
                [{"op":"add","path":"/a/c","value":2},
                 {"op":"replace","path":"/a/b","value":5},
                 {"op":"remove","path":"/list/0"},
                 {"op":"add","path":"/list/-","value":9},
                 {"op":"copy","from":"/a/b","path":"/copied"},
                 {"op":"move","from":"/a/c","path":"/moved"},
                 {"op":"test","path":"/copied","value":5},
                 {"op":"add","path":"/esc~1aped","value":true}]""", Patches.JSON_PATCH);
        assertThat(result.toString())
                .isEqualTo("{\"a\":{\"b\":5},\"list\":[2,3,9],\"copied\":5,\"moved\":2,\"esc/aped\":true}");
    }

    @Test
    void badPatchesAreClientErrors() {
        assertThatThrownBy(() -> patch("{}", "[{\"op\":\"remove\",\"path\":\"/missing\"}]", Patches.JSON_PATCH))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("/missing");
                });
        assertThatThrownBy(() -> patch("{}", "{\"not\":\"a list\"}", Patches.JSON_PATCH))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> patch("{}", "{bad json", Patches.MERGE_PATCH))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> patch("{}", "{}", "text/plain"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(415));
        assertThatThrownBy(() -> patch("{}", "[{\"op\":\"test\",\"path\":\"\",\"value\":1}]", Patches.JSON_PATCH))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThatThrownBy(() -> patch("{}", "[{\"op\":\"frob\",\"path\":\"/a\"}]", Patches.JSON_PATCH))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage()).contains("unsupported op"));
    }
}
