package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real request bodies, captured from kubectl 1.32 (see resources kubectl-1.32/README.md), decode to
 * the JSON kubectl itself prints for the same object, and that JSON encodes back to an equivalent
 * body.
 */
class KubectlBodiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"namespace", "configmap", "secret", "deployment", "service",
      "selfsubjectaccessreview", "tokenrequest"})
  void decodesWhatKubectlSends(String name) throws IOException {
    JsonNode expected = expected(name);

    assertThat(KubernetesProtobuf.decode(BadInputTest.kubectlBody(name + ".pb")))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"namespace", "configmap", "secret", "deployment", "service",
      "selfsubjectaccessreview", "tokenrequest"})
  void encodesBackToAnEquivalentBody(String name) throws IOException {
    ObjectNode expected = expected(name);

    byte[] body = KubernetesProtobuf.encode(expected);

    assertThat(KubernetesProtobuf.decode(body)).isEqualTo(expected);
  }

  private static ObjectNode expected(String name) throws IOException {
    try (InputStream in = KubectlBodiesTest.class.getResourceAsStream(
        "kubectl-1.32/" + name + ".json")) {
      return (ObjectNode) JSON.readTree(in);
    }
  }
}
