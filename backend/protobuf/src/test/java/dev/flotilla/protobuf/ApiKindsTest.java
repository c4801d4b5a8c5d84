package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** apiVersion/kind → message, as {@link ApiKinds} derives it from the schema. */
class ApiKindsTest {

  private final ApiSchema schema = ApiSchema.get();

  @Test
  void resolvesCommonKinds() {
    assertThat(name("v1", "Namespace")).isEqualTo("k8s.io.api.core.v1.Namespace");
    assertThat(name("v1", "ConfigMap")).isEqualTo("k8s.io.api.core.v1.ConfigMap");
    assertThat(name("v1", "PodList")).isEqualTo("k8s.io.api.core.v1.PodList");
    assertThat(name("v1", "Binding")).isEqualTo("k8s.io.api.core.v1.Binding");
    assertThat(name("v1", "PodTemplate")).isEqualTo("k8s.io.api.core.v1.PodTemplate");
    assertThat(name("apps/v1", "Deployment")).isEqualTo("k8s.io.api.apps.v1.Deployment");
    assertThat(name("autoscaling/v1", "Scale")).isEqualTo("k8s.io.api.autoscaling.v1.Scale");
    assertThat(name("batch/v1", "CronJob")).isEqualTo("k8s.io.api.batch.v1.CronJob");
    assertThat(name("rbac.authorization.k8s.io/v1", "ClusterRole"))
        .isEqualTo("k8s.io.api.rbac.v1.ClusterRole");
    assertThat(name("internal.apiserver.k8s.io/v1alpha1", "StorageVersion"))
        .isEqualTo("k8s.io.api.apiserverinternal.v1alpha1.StorageVersion");
    assertThat(name("policy/v1", "Eviction")).isEqualTo("k8s.io.api.policy.v1.Eviction");
    assertThat(name("authentication.k8s.io/v1", "TokenRequest"))
        .isEqualTo("k8s.io.api.authentication.v1.TokenRequest");
    assertThat(name("authorization.k8s.io/v1", "SelfSubjectAccessReview"))
        .isEqualTo("k8s.io.api.authorization.v1.SelfSubjectAccessReview");
    assertThat(name("coordination.k8s.io/v1", "Lease")).isEqualTo("k8s.io.api.coordination.v1.Lease");
    assertThat(name("discovery.k8s.io/v1", "EndpointSlice"))
        .isEqualTo("k8s.io.api.discovery.v1.EndpointSlice");
    assertThat(name("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"))
        .isEqualTo("k8s.io.api.flowcontrol.v1.FlowSchema");
    assertThat(name("admission.k8s.io/v1", "AdmissionReview"))
        .isEqualTo("k8s.io.api.admission.v1.AdmissionReview");
    assertThat(name("imagepolicy.k8s.io/v1alpha1", "ImageReview"))
        .isEqualTo("k8s.io.api.imagepolicy.v1alpha1.ImageReview");
  }

  @Test
  void acceptsMetaKindsUnderEveryGroupVersion() {
    for (String apiVersion : List.of("v1", "apps/v1", "batch/v1", "meta.k8s.io/v1",
        "example.com/v1")) {
      assertThat(name(apiVersion, "DeleteOptions"))
          .isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions");
      assertThat(name(apiVersion, "Status")).isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.Status");
      assertThat(name(apiVersion, "CreateOptions"))
          .isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.CreateOptions");
    }
    assertThat(name("meta.k8s.io/v1", "PartialObjectMetadata"))
        .isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata");
    assertThat(name("v1", "APIResourceList"))
        .isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.APIResourceList");
    assertThatThrownBy(() -> schema.messageFor("apps/v1", "PartialObjectMetadata"))
        .isInstanceOf(ProtobufDecodeException.class);
  }

  @Test
  void refusesPartsOfObjects() {
    for (String[] notAKind : new String[][] {
        {"apps/v1", "DeploymentSpec"}, {"v1", "PodTemplateSpec"}, {"v1", "ObjectMeta"},
        {"batch/v1", "JobTemplateSpec"}, {"v1", "PersistentVolumeClaimTemplate"},
        {"v1", "Deployment"}, {"apps/v2", "Deployment"}, {"apps/v1", "Pod"}}) {
      assertThatThrownBy(() -> schema.messageFor(notAKind[0], notAKind[1]))
          .isInstanceOf(ProtobufDecodeException.class)
          .hasMessage("no protobuf schema for " + notAKind[0] + " " + notAKind[1]);
    }
  }

  @Test
  void mapsEveryApiPackageToAGroup() {
    List<String> unmapped = new ArrayList<>();
    for (FileDescriptor file : schema.files().values()) {
      if (file.getPackage().startsWith("k8s.io.api.")
          && ApiKinds.apiVersion(file.getPackage()) == null) {
        unmapped.add(file.getPackage());
      }
    }
    assertThat(unmapped).isEmpty();
    assertThat(ApiKinds.apiVersion("k8s.io.api.core.v1")).isEqualTo("v1");
    assertThat(ApiKinds.apiVersion("k8s.io.api.rbac.v1")).isEqualTo("rbac.authorization.k8s.io/v1");
    assertThat(ApiKinds.apiVersion("k8s.io.apimachinery.pkg.apis.meta.v1")).isNull();
  }

  @Test
  void everyKindIsAnObjectOrAList() {
    assertThat(schema.kinds()).hasSizeGreaterThan(200);
    schema.kinds().forEach((key, message) -> {
      String kind = key.substring(key.indexOf('\t') + 1);
      assertThat(message.getName()).isEqualTo(kind);
      if (!kind.equals("AdmissionReview")) {
        assertThat(message.findFieldByName("metadata")).as(key).isNotNull();
      }
    });
  }

  private String name(String apiVersion, String kind) {
    return schema.messageFor(apiVersion, kind).getFullName();
  }
}
