package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards the project policy that no content copied from upstream repositories is committed here:
 * the schema comes from the client-java-proto library and the JSON rules are our own (README.md).
 * Fails on any file under src/ with an upstream Kubernetes license header, on .proto files, and on
 * the generated tables this module used to carry.
 */
class NoUpstreamContentTest {

  // Spelled in two parts so that this file does not match itself.
  private static final String UPSTREAM_HEADER = "Copyright The " + "Kubernetes Authors";

  @Test
  void noSourceFileCarriesUpstreamContent() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("src"))) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).isNotEmpty();

    List<Path> offending = files.stream().filter(file -> {
      String name = file.getFileName().toString();
      return name.endsWith(".proto") || name.equals("go-json-fields.tsv")
          || name.equals("api-kinds.tsv") || contains(file, UPSTREAM_HEADER);
    }).toList();

    assertThat(offending).isEmpty();
  }

  private static boolean contains(Path file, String text) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
