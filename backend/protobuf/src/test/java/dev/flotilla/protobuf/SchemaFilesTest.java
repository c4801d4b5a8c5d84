package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

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
 * and its generated code works on the protobuf runtime the parent pom pins (4.x, which the library's
 * own pom asks for too).
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
  void runsOnTheProtobuf4Runtime() throws Exception {
    Path runtime = Path.of(
        GeneratedMessageV3.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String version;
    try (JarFile jar = new JarFile(runtime.toFile())) {
      version = jar.getManifest().getMainAttributes().getValue("Bundle-Version");
    }

    assertThat(version).startsWith("4.");
    // The 4.x runtime has RuntimeVersion; 3.25.x has not.
    assertThat(Class.forName("com.google.protobuf.RuntimeVersion")).isNotNull();
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
  void generatedMessageClassesWorkOnThe4xRuntime() throws IOException {
    // On 3.25.x they failed verification (VerifyError); this module still decodes with
    // DynamicMessage on the descriptors, so it does not depend on them.
    byte[] raw = ProtobufEnvelope.parse(BadInputTest.kubectlBody("deployment.pb")).raw();

    V1Apps.Deployment deployment = V1Apps.Deployment.parseFrom(raw);

    assertThat(deployment.getDescriptorForType())
        .isSameAs(ApiSchema.get().message("k8s.io.api.apps.v1.Deployment"));
    assertThat(deployment.toByteString().size()).isEqualTo(raw.length);
  }
}
