package dev.flotilla.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultStorageClassAdmissionTest {

    @Test
    void theNewestDefaultClassWinsAndTiesGoToTheFirstName() throws Exception {
        List<ObjectNode> classes = List.of(
                storageClass("old", "2026-01-01T00:00:00Z", "true"),
                storageClass("newer-b", "2026-06-01T00:00:00Z", "true"),
                storageClass("newer-a", "2026-06-01T00:00:00Z", "true"),
                storageClass("newest-not-default", "2026-12-01T00:00:00Z", "false"));
        assertThat(DefaultStorageClassAdmission.defaultClass(classes)).contains("newer-a");
    }

    @Test
    void noClassIsChosenWhenNoneIsMarkedDefault() throws Exception {
        assertThat(DefaultStorageClassAdmission.defaultClass(
                List.of(storageClass("fast", "2026-01-01T00:00:00Z", "false")))).isEmpty();
    }

    @Test
    void aClaimThatNamesAClassEvenTheEmptyOneIsLeftAlone() throws Exception {
        assertThat(DefaultStorageClassAdmission.namesAClass(json("{\"spec\":{\"storageClassName\":\"\"}}"))).isTrue();
        assertThat(DefaultStorageClassAdmission.namesAClass(json(
                "{\"metadata\":{\"annotations\":{\"volume.beta.kubernetes.io/storage-class\":\"x\"}},\"spec\":{}}")))
                .isTrue();
        assertThat(DefaultStorageClassAdmission.namesAClass(json("{\"spec\":{\"storageClassName\":null}}"))).isFalse();
        assertThat(DefaultStorageClassAdmission.namesAClass(json("{\"spec\":{}}"))).isFalse();
    }

    private static ObjectNode storageClass(String name, String created, String isDefault) throws Exception {
        return json("{\"metadata\":{\"name\":\"" + name + "\",\"creationTimestamp\":\"" + created
                + "\",\"annotations\":{\"" + DefaultStorageClassAdmission.IS_DEFAULT + "\":\"" + isDefault + "\"}}}");
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text);
    }
}
