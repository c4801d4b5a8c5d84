package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real request bodies, captured from kubectl 1.32 (see resources kubectl-1.32/README.md), decode to
 * the JSON kubectl itself prints for the same object, and that JSON encodes back to an equivalent
 * body.
 *
 * <p>Both sides are compared after dropping empty-string values: Go writes a plain string field
 * without omitempty even when empty ({@code "token": ""} in TokenRequest's status), which the wire
 * cannot tell from unset, so the decoder leaves empty strings out (README.md, "How a message
 * becomes JSON"). Everything else, {@code {}} for empty structs, {@code null} for an empty
 * creationTimestamp and explicit zeros such as {@code "replicas": 0}, must match exactly.
 */
class KubectlBodiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"namespace", "configmap", "secret", "deployment", "service",
      "selfsubjectaccessreview", "tokenrequest"})
  void decodesWhatKubectlSends(String name) throws IOException {
    JsonNode expected = expected(name);

    assertThat(withoutEmptyStrings(KubernetesProtobuf.decode(BadInputTest.kubectlBody(name + ".pb"))))
        .isEqualTo(withoutEmptyStrings(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"namespace", "configmap", "secret", "deployment", "service",
      "selfsubjectaccessreview", "tokenrequest"})
  void encodesBackToAnEquivalentBody(String name) throws IOException {
    ObjectNode expected = expected(name);

    byte[] body = KubernetesProtobuf.encode(expected);

    assertThat(withoutEmptyStrings(KubernetesProtobuf.decode(body)))
        .isEqualTo(withoutEmptyStrings(expected));
  }

  @Test
  void keepsZeroReplicasOfCreateDeployment() throws IOException {
    // kubectl create deployment d --image=nginx --replicas=0
    ObjectNode deployment = KubernetesProtobuf.decode(BadInputTest.kubectlBody("deployment.pb"));

    assertThat(deployment.path("spec").get("replicas")).isNotNull();
    assertThat(deployment.path("spec").get("replicas").isInt()).isTrue();
    assertThat(deployment.path("spec").get("replicas").intValue()).isZero();
  }

  /** A copy of a JSON tree without its empty-string object values, at any depth. */
  static JsonNode withoutEmptyStrings(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isTextual() && field.getValue().asText().isEmpty()) {
          it.remove();
        } else {
          strip(field.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(KubectlBodiesTest::strip);
    }
  }

  private static ObjectNode expected(String name) throws IOException {
    try (InputStream in = KubectlBodiesTest.class.getResourceAsStream(
        "kubectl-1.32/" + name + ".json")) {
      return (ObjectNode) JSON.readTree(in);
    }
  }
}
