package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Checks decoding against upstream's round-trip fixtures: k8s.io/api keeps, for every kind, the
 * same fully populated object as protobuf ({@code testdata/<release>/<group>.<version>.<Kind>.pb})
 * and as the JSON Go writes ({@code .json}). Those files are not part of this repository and must
 * not be added to it; point the system property {@code k8s.api.testdata} at a checkout's
 * {@code testdata/<release>} directory to run this (see README.md). Kinds the schema does not know
 * (group versions client-java-proto leaves out, options types) are skipped and listed; JSON is
 * compared without empty-string values, as in {@link KubectlBodiesTest}.
 */
@EnabledIfSystemProperty(named = "k8s.api.testdata", matches = ".+")
class UpstreamFixturesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void decodesEveryUpstreamFixtureToItsJson() throws IOException {
    List<String> failures = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    int checked = 0;
    for (Path pb : fixtures()) {
      Path jsonFile = Path.of(pb.toString().replaceAll("\\.pb$", ".json"));
      String file = pb.getFileName().toString();
      if (!Files.exists(jsonFile) || file.endsWith(".WatchEvent.pb")
          || file.contains(".after_roundtrip.")) {
        // A WatchEvent fixture is a watch stream frame: its envelope names no apiVersion/kind,
        // so it is no request body (decode refuses it, as the bad-input tests check).
        // after_roundtrip files record upstream's own lossy round trips.
        continue;
      }
      JsonNode expected = KubectlBodiesTest.withoutEmptyStrings(JSON.readTree(jsonFile.toFile()));
      try {
        ApiSchema.get().messageFor(expected.path("apiVersion").asText(),
            expected.path("kind").asText());
      } catch (ProtobufDecodeException unknownKind) {
        unknown.add(file);
        continue;
      }
      checked++;
      try {
        ObjectNode decoded = (ObjectNode) KubectlBodiesTest.withoutEmptyStrings(
            KubernetesProtobuf.decode(Files.readAllBytes(pb)));
        String difference = difference("", expected, decoded);
        if (difference != null) {
          failures.add(pb.getFileName() + " decode: " + difference);
        }
        JsonNode again = KubectlBodiesTest.withoutEmptyStrings(
            KubernetesProtobuf.decode(KubernetesProtobuf.encode((ObjectNode) expected)));
        String roundTrip = difference("", expected, again);
        if (roundTrip != null) {
          failures.add(pb.getFileName() + " round trip: " + roundTrip);
        }
      } catch (RuntimeException e) {
        failures.add(pb.getFileName() + ": " + e);
      }
    }
    System.out.println("UpstreamFixturesTest: " + checked + " fixtures checked, "
        + unknown.size() + " of kinds without a schema skipped: " + unknown);
    assertThat(checked).isGreaterThan(100);
    assertThat(failures).isEmpty();
  }

  private static List<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("k8s.api.testdata")))) {
      return files.filter(file -> file.toString().endsWith(".pb")).sorted().toList();
    }
  }

  /** The first path where two JSON trees differ, or null. */
  static String difference(String path, JsonNode expected, JsonNode actual) {
    if (expected.isObject() && actual.isObject()) {
      for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!actual.has(key)) {
          return path + "." + key + " missing (expected " + expected.get(key) + ")";
        }
        String inner = difference(path + "." + key, expected.get(key), actual.get(key));
        if (inner != null) {
          return inner;
        }
      }
      for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!expected.has(key)) {
          return path + "." + key + " unexpected: " + actual.get(key);
        }
      }
      return null;
    }
    if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
      for (int i = 0; i < expected.size(); i++) {
        String inner = difference(path + "[" + i + "]", expected.get(i), actual.get(i));
        if (inner != null) {
          return inner;
        }
      }
      return null;
    }
    return expected.equals(actual) ? null : path + ": expected " + expected + " but got " + actual;
  }
}
