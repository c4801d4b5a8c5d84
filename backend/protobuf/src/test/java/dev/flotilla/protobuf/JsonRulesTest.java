package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.flotilla.protobuf.JsonLayouts.FieldRule;
import dev.flotilla.protobuf.JsonLayouts.Mode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The hand-written {@link JsonRules} against the schema: every entry names a field that exists
 * and has the right shape, so a typo or a schema change cannot quietly disable a rule.
 */
class JsonRulesTest {

  private final ApiSchema schema = ApiSchema.get();

  @Test
  void everyInlinedEntryIsASingularMessageField() {
    for (String entry : JsonRules.INLINED) {
      List<FieldDescriptor> fields = fieldsMatching(entry);
      assertThat(fields).as(entry).isNotEmpty();
      for (FieldDescriptor field : fields) {
        assertThat(field.isRepeated()).as(field.getFullName()).isFalse();
        assertThat(field.getJavaType()).as(field.getFullName())
            .isEqualTo(FieldDescriptor.JavaType.MESSAGE);
      }
    }
  }

  @Test
  void everyExplicitZeroEntryIsASingularScalarField() {
    for (String entry : JsonRules.EXPLICIT_ZERO) {
      List<FieldDescriptor> fields = fieldsMatching(entry);
      assertThat(fields).as(entry).isNotEmpty();
      for (FieldDescriptor field : fields) {
        assertThat(field.isRepeated()).as(field.getFullName()).isFalse();
        assertThat(field.getJavaType()).as(field.getFullName())
            .isNotEqualTo(FieldDescriptor.JavaType.MESSAGE);
      }
    }
  }

  @Test
  void explicitZeroCoversTheImportantPointers() {
    Map<String, String> fields = Map.of(
        "k8s.io.api.apps.v1.DeploymentSpec", "replicas",
        "k8s.io.api.apps.v1.StatefulSetSpec", "replicas",
        "k8s.io.api.core.v1.ConfigMap", "immutable",
        "k8s.io.api.core.v1.PodSpec", "automountServiceAccountToken",
        "k8s.io.api.batch.v1.JobSpec", "backoffLimit",
        "k8s.io.api.core.v1.SecurityContext", "runAsUser",
        "k8s.io.api.core.v1.SecretKeySelector", "optional",
        "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions", "gracePeriodSeconds");
    fields.forEach((message, field) -> assertThat(
        JsonLayouts.rule(schema.message(message).findFieldByName(field)).mode())
        .as(message + "." + field).isEqualTo(Mode.PRESENT));
    Map<String, String> plain = Map.of(
        "k8s.io.api.apps.v1.DeploymentStatus", "replicas",
        "k8s.io.api.apps.v1.DeploymentSpec", "minReadySeconds",
        "k8s.io.api.core.v1.ServiceSpec", "publishNotReadyAddresses",
        "k8s.io.api.core.v1.VolumeMount", "readOnly",
        "k8s.io.api.core.v1.AWSElasticBlockStoreVolumeSource", "partition",
        "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", "generation");
    plain.forEach((message, field) -> assertThat(
        JsonLayouts.rule(schema.message(message).findFieldByName(field)).mode())
        .as(message + "." + field).isEqualTo(Mode.NON_ZERO));
  }

  @Test
  void arrayWrappersHoldOneRepeatedField() {
    int found = 0;
    for (Descriptor message : schema.messages().values()) {
      if (JsonRules.arrayWrapper(message)) {
        found++;
        assertThat(message.getFields()).as(message.getFullName()).hasSize(1);
        assertThat(message.getFields().get(0).isRepeated()).isTrue();
      }
    }
    assertThat(found).isGreaterThanOrEqualTo(4);
  }

  @Test
  void jsonNamesDifferFromProtobufNamesOnlyWhereKnown() {
    Map<String, String> renamed = new TreeMap<>();
    for (Descriptor message : schema.messages().values()) {
      if (SpecialTypes.isSpecial(message)) {
        continue;
      }
      for (FieldDescriptor field : message.getFields()) {
        String json = JsonRules.jsonName(field);
        if (!json.equals(field.getName()) || !Character.isLowerCase(json.charAt(0))) {
          renamed.put(message.getName() + "." + field.getName(), json);
        }
      }
    }
    // The apiextensions-apiserver files carry JSON-schema names (x-kubernetes-…, $ref) that these
    // rules do not cover; their kinds are not registered (README.md).
    renamed.keySet().removeIf(name -> name.startsWith("JSONSchemaProps")
        || name.startsWith("CustomResourceColumnDefinition"));

    assertThat(renamed).isEqualTo(Map.of(
        "MutatingWebhookConfiguration.Webhooks", "webhooks",
        "ValidatingWebhookConfiguration.Webhooks", "webhooks",
        "Validation.Expression", "expression",
        "Variable.Name", "name",
        "Variable.Expression", "expression",
        "BoundObjectReference.uID", "uid",
        "IngressClassParametersReference.aPIGroup", "apiGroup",
        "DaemonEndpoint.Port", "Port"));
  }

  @Test
  void spellsGoLowerCamelCase() {
    assertThat(JsonRules.camelCase("Webhooks")).isEqualTo("webhooks");
    assertThat(JsonRules.camelCase("uID")).isEqualTo("uid");
    assertThat(JsonRules.camelCase("aPIGroup")).isEqualTo("apiGroup");
    assertThat(JsonRules.camelCase("JSONPath")).isEqualTo("jsonPath");
    assertThat(JsonRules.camelCase("apiVersion")).isEqualTo("apiVersion");
    assertThat(JsonRules.camelCase("podIPs")).isEqualTo("podIPs");
    assertThat(JsonRules.camelCase("x")).isEqualTo("x");
  }

  @Test
  void inliningNeverCollidesWithTheParentsKeys() {
    List<String> collisions = new ArrayList<>();
    for (Descriptor message : schema.messages().values()) {
      Set<String> keys = new HashSet<>();
      collect(message, keys, collisions);
    }
    assertThat(collisions).isEmpty();
  }

  private void collect(Descriptor message, Set<String> keys, List<String> collisions) {
    for (FieldRule rule : schema.layouts().layout(message).fields()) {
      if (rule.mode() == Mode.INLINE) {
        collect(rule.field().getMessageType(), keys, collisions);
      } else if (!keys.add(rule.jsonName())) {
        collisions.add(rule.field().getFullName());
      }
    }
  }

  /** The fields an entry names ({@code Message.field} or a bare field name), in any package. */
  private List<FieldDescriptor> fieldsMatching(String entry) {
    int dot = entry.indexOf('.');
    String message = dot < 0 ? null : entry.substring(0, dot);
    String field = entry.substring(dot + 1);
    List<FieldDescriptor> fields = new ArrayList<>();
    for (Descriptor descriptor : schema.messages().values()) {
      if (message == null || descriptor.getName().equals(message)) {
        FieldDescriptor found = descriptor.findFieldByName(field);
        if (found != null) {
          fields.add(found);
        }
      }
    }
    return fields;
  }
}
