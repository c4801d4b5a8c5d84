package dev.flotilla.apiserver.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DuplicateFieldsTest {

    @Test
    void namesEachFieldGivenTwiceByItsPathInDocumentOrder() {
        String body = """
                {"metadata": {"name": "a", "labels": {"x": "1", "x": "2"}, "name": "b"},
                 "spec": {"containers": [{"name": "c"}, {"name": "d", "image": "i", "ports": [{"p": 1, "p": 2}],
                 "image": "j"}], "replicas": 1, "replicas": 2}}
                """;
        assertThat(DuplicateFields.find(bytes(body), new JsonFactory())).containsExactly(
                "metadata.labels.x", "metadata.name", "spec.containers[1].ports[0].p", "spec.containers[1].image",
                "spec.replicas");
    }

    @Test
    void theSameNameInDifferentObjectsIsNoDuplicate() {
        String body = "{\"a\": {\"n\": 1}, \"b\": {\"n\": 1}, \"l\": [{\"n\": 1}, {\"n\": 2}], \"n\": [1, 2]}";
        assertThat(DuplicateFields.find(bytes(body), new JsonFactory())).isEmpty();
    }

    @Test
    void yamlBodiesAreCheckedToo() {
        String body = """
                metadata:
                  name: a
                  name: b
                data:
                  - {k: 1}
                  - {k: 1, k: 2}
                """;
        assertThat(DuplicateFields.find(bytes(body), new YAMLFactory())).containsExactly("metadata.name", "data[1].k");
    }

    @Test
    void aBodyThatDoesNotParseReportsWhatWasSeenBeforeTheError() {
        assertThat(DuplicateFields.find(bytes("{\"a\": 1, \"a\": 2, \"b\": "), new JsonFactory())).containsExactly("a");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
