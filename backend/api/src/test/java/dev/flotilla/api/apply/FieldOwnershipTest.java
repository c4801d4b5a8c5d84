package dev.flotilla.api.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.ApiError;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldOwnershipTest {

    /** A Deployment-like shape: containers keyed by name, finalizers a set, labels a keyed map. */
    private static final FieldShape SHAPE = new FieldShape() {
        @Override
        public FieldShape field(String name) {
            return switch (name) {
                case "metadata" -> METADATA;
                case "spec" -> SPEC;
                default -> UNKNOWN;
            };
        }
    };
    private static final FieldShape LABELS = new FieldShape() {
        @Override
        public boolean keyedMap() {
            return true;
        }
    };
    private static final FieldShape FINALIZERS = new FieldShape() {
        @Override
        public ListType listType() {
            return ListType.SET;
        }
    };
    private static final FieldShape METADATA = new FieldShape() {
        @Override
        public FieldShape field(String name) {
            return name.equals("labels") ? LABELS : name.equals("finalizers") ? FINALIZERS : UNKNOWN;
        }
    };
    private static final FieldShape CONTAINERS = new FieldShape() {
        @Override
        public ListType listType() {
            return ListType.MAP;
        }

        @Override
        public List<String> listKeys() {
            return List.of("name");
        }
    };
    private static final FieldShape SPEC = new FieldShape() {
        @Override
        public FieldShape field(String name) {
            return name.equals("containers") ? CONTAINERS : UNKNOWN;
        }
    };

    private final FieldOwnership ownership = new FieldOwnership(SHAPE, path -> !path.get(0).equals("f:kind"));

    @Test
    void fieldSetOfAnObjectInFieldsV1Form() {
        FieldSet set = ObjectFields.of(json("""
                {"kind": "X", "metadata": {"labels": {"app": "web"}, "finalizers": ["a/b"]},
                 "spec": {"replicas": 2, "args": ["x"], "empty": {},
                          "containers": [{"name": "c", "image": "nginx"}]}}"""), SHAPE);

        assertThat(set.toJson()).isEqualTo(json("""
                {"f:kind": {},
                 "f:metadata": {"f:finalizers": {"v:\\"a/b\\"": {}}, "f:labels": {".": {}, "f:app": {}}},
                 "f:spec": {"f:args": {}, "f:containers": {"k:{\\"name\\":\\"c\\"}": {".": {}, "f:image": {},
                            "f:name": {}}}, "f:empty": {}, "f:replicas": {}}}"""));
        assertThat(FieldSet.fromJson(set.toJson())).isEqualTo(set);
        assertThat(PathElements.describe(List.of("f:spec", "f:containers", "k:{\"name\":\"c\"}", "f:image")))
                .isEqualTo(".spec.containers[name=\"c\"].image");
        assertThat(PathElements.describe(List.of("f:metadata", "f:finalizers", "v:\"a/b\"")))
                .isEqualTo(".metadata.finalizers[=\"a/b\"]");
    }

    @Test
    void malformedFieldsV1IsRejected() {
        assertThatThrownBy(() -> FieldSet.fromJson(json("{\"x:y\": {}}"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ManagedFieldsEntry.parse(json("[{\"manager\": \"m\", \"fieldsV1\": {\"bad\": {}}}]"))).isEmpty();
    }

    @Test
    void updateTakesChangedFieldsFromOthersAndDropsRemovedOnes() {
        JsonNode v1 = json("{\"spec\": {\"replicas\": 1, \"paused\": false}}");
        List<ManagedFieldsEntry> created = ownership.update(List.of(), json("{}"), v1, "creator", "apps/v1", "", "t1");
        assertThat(created).singleElement().satisfies(e -> assertThat(e.fields().toJson())
                .isEqualTo(json("{\"f:spec\": {\"f:paused\": {}, \"f:replicas\": {}}}")));

        JsonNode v2 = json("{\"spec\": {\"replicas\": 5}}");
        List<ManagedFieldsEntry> updated = ownership.update(created, v1, v2, "scaler", "apps/v1", "", "t2");
        assertThat(updated).singleElement().satisfies(e -> {
            assertThat(e.manager()).as("creator lost both fields: one changed by scaler, one removed")
                    .isEqualTo("scaler");
            assertThat(e.fields().toJson()).isEqualTo(json("{\"f:spec\": {\"f:replicas\": {}}}"));
        });
    }

    @Test
    void updateWithoutChangesAddsNoEntry() {
        JsonNode v1 = json("{\"spec\": {\"replicas\": 1}}");
        List<ManagedFieldsEntry> created = ownership.update(List.of(), json("{}"), v1, "creator", "v1", "", "t1");
        assertThat(ownership.update(created, v1, v1.deepCopy(), "other", "v1", "", "t2")).isEqualTo(created);
    }

    @Test
    void applyConflictsWithAnotherOwnerOfADifferentValueUnlessForced() {
        JsonNode live = json("{\"spec\": {\"replicas\": 1, \"containers\": [{\"name\": \"c\", \"image\": \"a\"}]}}");
        List<ManagedFieldsEntry> entries = ownership.update(List.of(), json("{}"), live, "kubectl-create", "apps/v1",
                "", "t1");

        JsonNode same = json("{\"spec\": {\"replicas\": 1}}");
        FieldOwnership.Applied shared = ownership.apply(entries, live, same, "ci", "apps/v1", "", false, "t2");
        assertThat(shared.entries()).extracting(ManagedFieldsEntry::manager).containsExactly("ci", "kubectl-create");
        assertThat(shared.entries().get(1).fields().contains(List.of("f:spec", "f:replicas"))).isTrue();

        JsonNode different = json("{\"spec\": {\"replicas\": 3, \"containers\": [{\"name\": \"c\", \"image\": \"b\"}]}}");
        assertThatThrownBy(() -> ownership.apply(entries, live, different, "ci", "apps/v1", "", false, "t2"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.status().getReason()).isEqualTo("Conflict");
                    assertThat(e.getMessage()).isEqualTo("""
                            Apply failed with 2 conflicts: conflicts with "kubectl-create" using apps/v1:
                            - .spec.containers[name="c"].image
                            - .spec.replicas""");
                    assertThat(e.status().getDetails().getCauses()).extracting(c -> c.getField())
                            .containsExactly(".spec.containers[name=\"c\"].image", ".spec.replicas");
                });

        FieldOwnership.Applied forced = ownership.apply(entries, live, different, "ci", "apps/v1", "", true, "t2");
        assertThat(forced.object().at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(forced.object().at("/spec/containers/0/image").asText()).isEqualTo("b");
        ManagedFieldsEntry creator = forced.entries().get(1);
        assertThat(creator.fields().contains(List.of("f:spec", "f:replicas"))).isFalse();
        assertThat(creator.fields().contains(List.of("f:spec", "f:containers", "k:{\"name\":\"c\"}", "f:name")))
                .isTrue();
    }

    @Test
    void applyRemovesWhatTheManagerNoLongerAppliesUnlessSomeoneElseOwnsIt() {
        JsonNode first = json("""
                {"metadata": {"labels": {"a": "1", "b": "2"}},
                 "spec": {"containers": [{"name": "c", "image": "x"}, {"name": "d", "image": "y"}]}}""");
        FieldOwnership.Applied created = ownership.apply(List.of(), json("{}"), first, "ci", "v1", "", false, "t1");
        assertThat(created.object()).isEqualTo(first);

        JsonNode withOther = created.object().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) withOther.at("/metadata/labels")).put("c", "3");
        List<ManagedFieldsEntry> entries = ownership.update(created.entries(), created.object(), withOther, "editor",
                "v1", "", "t2");

        JsonNode second = json("{\"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"x\"}]}}");
        FieldOwnership.Applied applied = ownership.apply(entries, withOther, second, "ci", "v1", "", false, "t3");
        assertThat(applied.object()).isEqualTo(json("""
                {"metadata": {"labels": {"c": "3"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}"""));
        assertThat(applied.entries().get(0).fields()).isEqualTo(ownership.fieldsOf(second));
    }

    @Test
    void setsMergeByValue() {
        JsonNode live = json("{\"metadata\": {\"finalizers\": [\"a\"]}}");
        List<ManagedFieldsEntry> entries = ownership.update(List.of(), json("{}"), live, "other", "v1", "", "t1");
        FieldOwnership.Applied applied = ownership.apply(entries, live, json("{\"metadata\": {\"finalizers\": [\"b\"]}}"),
                "ci", "v1", "", false, "t2");
        assertThat(applied.object().at("/metadata/finalizers")).isEqualTo(json("[\"a\", \"b\"]"));
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
