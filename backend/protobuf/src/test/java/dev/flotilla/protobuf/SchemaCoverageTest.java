package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated tables and the compiled schema agree: every kind resolves, and every field of every
 * message has its Go JSON rule (else decoding would fall back to plain protobuf presence).
 */
class SchemaCoverageTest {

  @Test
  void everyMessageFieldHasAGoJsonRule() {
    ApiSchema schema = ApiSchema.get();
    List<String> missing = new ArrayList<>();
    for (Descriptor message : schema.messages().values()) {
      if (SpecialTypes.isSpecial(message) || schema.layouts().layout(message).arrayWrapper()) {
        continue;
      }
      for (FieldDescriptor field : message.getFields()) {
        if (!schema.layouts().hasRow(message, field)) {
          missing.add(field.getFullName());
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void resolvesCommonKinds() {
    ApiSchema schema = ApiSchema.get();
    assertThat(schema.messageFor("v1", "Namespace").getFullName())
        .isEqualTo("k8s.io.api.core.v1.Namespace");
    assertThat(schema.messageFor("apps/v1", "Deployment").getFullName())
        .isEqualTo("k8s.io.api.apps.v1.Deployment");
    assertThat(schema.messageFor("rbac.authorization.k8s.io/v1", "ClusterRole").getFullName())
        .isEqualTo("k8s.io.api.rbac.v1.ClusterRole");
    assertThat(schema.messageFor("internal.apiserver.k8s.io/v1alpha1", "StorageVersion")
        .getFullName()).isEqualTo("k8s.io.api.apiserverinternal.v1alpha1.StorageVersion");
    assertThat(schema.messageFor("policy/v1", "Eviction").getFullName())
        .isEqualTo("k8s.io.api.policy.v1.Eviction");
    assertThat(schema.messageFor("v1", "Status").getFullName())
        .isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.Status");
    assertThat(schema.messageFor("meta.k8s.io/v1", "DeleteOptions").getFullName())
        .isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions");
  }
}
