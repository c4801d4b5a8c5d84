package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.GeneratedMessageV3;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The schema comes from client-java-proto: {@link SchemaFiles} names every outer class of that jar,
 * and its generated code works on the protobuf runtime the parent pom pins (3.25.x, not the 4.x
 * the library's own pom asks for).
 */
class SchemaFilesTest {

  private static final String PROTO_PACKAGE = "io/kubernetes/client/proto/";

  @Test
  void listsEveryOuterClassOfTheJar() throws Exception {
    Path jar = Path.of(V1.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> inJar = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        String name = entry.getName();
        if (name.startsWith(PROTO_PACKAGE) && name.endsWith(".class") && !name.contains("$")
            && name.indexOf('/', PROTO_PACKAGE.length()) < 0) {
          inJar.add(name.substring(PROTO_PACKAGE.length(), name.length() - ".class".length()));
        }
      }
    }
    List<String> listed = SchemaFiles.ALL.stream()
        .map(Supplier::get)
        .map(file -> file.getOptions().getJavaOuterClassname())
        .toList();

    assertThat(inJar).hasSizeGreaterThan(40);
    assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(inJar);
  }

  @Test
  void loadsEveryFileAndItsImports() {
    ApiSchema schema = ApiSchema.get();

    for (FileDescriptor file : schema.files().values()) {
      for (FileDescriptor dependency : file.getDependencies()) {
        assertThat(schema.files()).containsKey(dependency.getName());
      }
    }
    assertThat(schema.files()).containsKeys(
        "k8s.io/api/core/v1/generated.proto",
        "k8s.io/api/apps/v1/generated.proto",
        "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto",
        "k8s.io/apimachinery/pkg/runtime/generated.proto",
        "k8s.io/apimachinery/pkg/util/intstr/generated.proto",
        "k8s.io/apimachinery/pkg/api/resource/generated.proto");
    assertThat(schema.messages()).hasSizeGreaterThan(900);
  }

  @Test
  void runsOnTheProtobuf3Runtime() throws Exception {
    Path runtime = Path.of(
        GeneratedMessageV3.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String version;
    try (JarFile jar = new JarFile(runtime.toFile())) {
      version = jar.getManifest().getMainAttributes().getValue("Bundle-Version");
    }

    assertThat(version).startsWith("3.25.");
    // The 4.x runtime has RuntimeVersion; 3.25.x has not.
    assertThatThrownBy(() -> Class.forName("com.google.protobuf.RuntimeVersion"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void decodesRealBodiesWithTheLibrarysDescriptors() throws IOException {
    byte[] raw = ProtobufEnvelope.parse(BadInputTest.kubectlBody("deployment.pb")).raw();

    DynamicMessage deployment = DynamicMessage.parseFrom(
        V1Apps.getDescriptor().findMessageTypeByName("Deployment"), raw);

    assertThat(deployment.getUnknownFields().asMap()).isEmpty();
    assertThat(deployment.toByteString().size()).isEqualTo(raw.length);
    assertThat(V1Apps.getDescriptor().findMessageTypeByName("Deployment"))
        .isSameAs(ApiSchema.get().message("k8s.io.api.apps.v1.Deployment"));
  }

  @Test
  void generatedMessageClassesAreNotUsable() {
    // The library's message classes are compiled against protobuf 4.x and fail verification on
    // 3.25.x; only the outer classes' descriptors work, and they are all this module uses. Should
    // this start failing, the runtime has moved to 4.x and the restriction (README.md) can go.
    assertThatThrownBy(() -> V1Apps.Deployment.getDefaultInstance())
        .isInstanceOf(VerifyError.class);
  }
}
