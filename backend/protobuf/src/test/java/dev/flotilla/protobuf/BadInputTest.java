package dev.flotilla.protobuf;

import static dev.flotilla.protobuf.JsonTrees.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bodies that are not valid Kubernetes protobuf: each must end in a {@link ProtobufDecodeException}
 * with a useful message, never another exception or a hang.
 */
class BadInputTest {

  private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

  @Test
  void refusesBodiesWithoutTheMagicPrefix() {
    for (byte[] body : new byte[][] {
        null, {}, {0x6b, 0x38, 0x73}, "{\"kind\":\"Namespace\"}".getBytes(StandardCharsets.UTF_8),
        {0x6b, 0x38, 0x73, 0x01, 0x0a}}) {
      assertThatThrownBy(() -> KubernetesProtobuf.decode(body))
          .isInstanceOf(ProtobufDecodeException.class)
          .hasMessageContaining("k8s\\0 prefix");
    }
  }

  @Test
  void refusesAnEnvelopeWithoutType() {
    assertThatThrownBy(() -> KubernetesProtobuf.decode(MAGIC))
        .isInstanceOf(ProtobufDecodeException.class)
        .hasMessage("Kubernetes protobuf envelope names no apiVersion and kind");
  }

  @Test
  void refusesUnknownKindsAndGroups() {
    byte[] frobnicator = TestMessages.of("k8s.io.api.apps.v1.Deployment")
        .body("apps/v1", "Frobnicator");
    assertThatThrownBy(() -> KubernetesProtobuf.decode(frobnicator))
        .isInstanceOf(ProtobufDecodeException.class)
        .hasMessage("no protobuf schema for apps/v1 Frobnicator");

    byte[] widget = TestMessages.of("k8s.io.api.core.v1.Pod").body("example.com/v1", "Widget");
    assertThatThrownBy(() -> KubernetesProtobuf.decode(widget))
        .isInstanceOf(ProtobufDecodeException.class)
        .hasMessage("no protobuf schema for example.com/v1 Widget");

    byte[] notAKind = TestMessages.of("k8s.io.api.apps.v1.DeploymentSpec")
        .body("apps/v1", "DeploymentSpec");
    assertThatThrownBy(() -> KubernetesProtobuf.decode(notAKind))
        .isInstanceOf(ProtobufDecodeException.class)
        .hasMessage("no protobuf schema for apps/v1 DeploymentSpec");
  }

  @Test
  void refusesCompressedOrForeignEnvelopes() {
    byte[] body = TestMessages.of("k8s.io.apimachinery.pkg.runtime.Unknown")
        .set("typeMeta", TestMessages.of("k8s.io.apimachinery.pkg.runtime.TypeMeta")
            .set("apiVersion", "v1").set("kind", "Namespace"))
        .set("contentEncoding", "gzip")
        .build().toByteArray();
    assertThatThrownBy(() -> KubernetesProtobuf.decode(withMagic(body)))
        .isInstanceOf(ProtobufDecodeException.class)
        .hasMessageContaining("unsupported content encoding gzip");
  }

  @Test
  void refusesTruncatedBodies() throws IOException {
    byte[] body = kubectlBody("deployment.pb");
    int failures = 0;
    for (int length = 0; length < body.length; length++) {
      byte[] cut = Arrays.copyOf(body, length);
      try {
        KubernetesProtobuf.decode(cut);
      } catch (ProtobufDecodeException expected) {
        failures++;
      }
    }
    // Almost every cut lands inside a length-delimited field; a few end exactly on a boundary
    // and decode to a smaller object, as they would in Go.
    assertThat(failures).isGreaterThan(body.length * 9 / 10);
    assertThatThrownBy(() -> KubernetesProtobuf.decode(Arrays.copyOf(body, body.length - 3)))
        .isInstanceOf(ProtobufDecodeException.class)
        .hasMessageStartingWith("malformed");
  }

  @Test
  void survivesCorruptedBodies() throws IOException {
    Random random = new Random(42);
    for (String name : new String[] {"deployment.pb", "service.pb", "secret.pb"}) {
      byte[] body = kubectlBody(name);
      for (int round = 0; round < 2_000; round++) {
        byte[] corrupt = body.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          int at = MAGIC.length + random.nextInt(corrupt.length - MAGIC.length);
          corrupt[at] = (byte) random.nextInt(256);
        }
        decodeOrRefuse(corrupt);
      }
    }
    for (int round = 0; round < 2_000; round++) {
      byte[] garbage = new byte[MAGIC.length + random.nextInt(64)];
      random.nextBytes(garbage);
      System.arraycopy(MAGIC, 0, garbage, 0, MAGIC.length);
      decodeOrRefuse(garbage);
    }
  }

  @Test
  void refusesRawExtensionsThatAreNotJson() {
    byte[] body = TestMessages.of("k8s.io.api.apps.v1.ControllerRevision")
        .set("data", TestMessages.of("k8s.io.apimachinery.pkg.runtime.RawExtension")
            .set("raw", "spec: yaml".getBytes(StandardCharsets.UTF_8)))
        .body("apps/v1", "ControllerRevision");
    assertThatThrownBy(() -> KubernetesProtobuf.decode(body))
        .isInstanceOf(ProtobufDecodeException.class)
        .hasMessageContaining("RawExtension holds neither JSON nor protobuf");
  }

  @Test
  void boundsProtobufNestedInRawExtensions() {
    byte[] body = TestMessages.of("k8s.io.api.core.v1.Pod").body("v1", "Pod");
    for (int level = 0; level < 30; level++) {
      body = TestMessages.of("k8s.io.api.core.v1.List")
          .add("items", TestMessages.of("k8s.io.apimachinery.pkg.runtime.RawExtension")
              .set("raw", body))
          .body("v1", "List");
    }
    byte[] deep = body;
    assertThatThrownBy(() -> KubernetesProtobuf.decode(deep))
        .isInstanceOf(ProtobufDecodeException.class)
        .hasMessageContaining("nested too deeply");
  }

  @Test
  void refusesIntOrStringOfUnknownType() {
    byte[] body = TestMessages.of("k8s.io.api.core.v1.Service")
        .set("spec", TestMessages.of("k8s.io.api.core.v1.ServiceSpec")
            .add("ports", TestMessages.of("k8s.io.api.core.v1.ServicePort")
                .set("targetPort", TestMessages.of("k8s.io.apimachinery.pkg.util.intstr.IntOrString")
                    .set("type", 7L))))
        .body("v1", "Service");
    assertThatThrownBy(() -> KubernetesProtobuf.decode(body))
        .isInstanceOf(ProtobufDecodeException.class)
        .hasMessage("IntOrString of unknown type 7");
  }

  @Test
  void encodeRefusesJsonOutsideTheSchema() {
    assertThatThrownBy(() -> KubernetesProtobuf.encode((ObjectNode) json("""
        {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'x', 'nmae': 'y'}}""")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ConfigMap.metadata: unknown field \"nmae\" for ObjectMeta");
    assertThatThrownBy(() -> KubernetesProtobuf.encode((ObjectNode) json("""
        {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'spec': {'replicas': 'three'}}""")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Deployment.spec.replicas: expected an integer");
    assertThatThrownBy(() -> KubernetesProtobuf.encode((ObjectNode) json("{'kind': 'Pod'}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void decodeOrRefuse(byte[] body) {
    try {
      KubernetesProtobuf.decode(body);
    } catch (ProtobufDecodeException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  private static byte[] withMagic(byte[] message) {
    byte[] body = Arrays.copyOf(MAGIC, MAGIC.length + message.length);
    System.arraycopy(message, 0, body, MAGIC.length, message.length);
    return body;
  }

  static byte[] kubectlBody(String name) throws IOException {
    try (InputStream in = BadInputTest.class.getResourceAsStream("kubectl-1.32/" + name)) {
      return in.readAllBytes();
    }
  }
}
