package dev.flotilla.apiserver.openapi;

import dev.flotilla.apiserver.model.BuiltInSchemas;
import dev.flotilla.apiserver.model.ModelClasses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KindResolutionTest {

    private final List<ResourceType> builtIns = List.copyOf(new ResourceRegistry().all());

    @Test
    void everyBuiltInKindAndListKindResolvesToAFabric8Class() {
        List<String> missing = new ArrayList<>();
        for (ResourceType type : builtIns) {
            if (type.group().endsWith(".flotilla.dev")) {
                continue; // the platform's own kinds (audit events, tenants) have no fabric8 model
            }
            if (!KindBodies.of(type).hasModel()) {
                missing.add(type.apiVersion() + " " + type.kind());
            }
            if (type.supports("list") && BuiltInSchemas.of(type).isEmpty() && ModelClasses.find(type.group(), type.version(), type.kind() + "List").isEmpty()) {
                missing.add(type.apiVersion() + " " + type.listKind());
            }
        }
        assertThat(missing).as("kinds without a fabric8 model class").isEmpty();
        assertThat(builtIns).hasSizeGreaterThan(40);
    }

    @Test
    void resolvedClassIsTheOneOfThatGroupAndVersion() {
        assertThat(find("", "v1", "Pod")).contains(Pod.class);
        assertThat(find("apps", "v1", "Deployment")).contains(Deployment.class);
        assertThat(find("autoscaling", "v2", "HorizontalPodAutoscaler")).contains(HorizontalPodAutoscaler.class);
        assertThat(find("autoscaling", "v1", "HorizontalPodAutoscaler"))
                .contains(io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class);
        assertThat(find("authorization.k8s.io", "v1", "SubjectAccessReview")).contains(SubjectAccessReview.class);
        assertThat(find("apps", "v1", "NoSuchKind")).isEmpty();
        assertThat(find("apps", "v2", "Deployment")).as("version must match, not just the name").isEmpty();
    }

    @Test
    void componentNamesAreUpstreams() {
        assertThat(ComponentNames.of(Deployment.class)).isEqualTo("io.k8s.api.apps.v1.Deployment");
        assertThat(ComponentNames.of(Pod.class)).isEqualTo("io.k8s.api.core.v1.Pod");
        assertThat(ComponentNames.of(ObjectMeta.class)).isEqualTo("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(ComponentNames.of(FieldsV1.class)).isEqualTo("io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1");
        assertThat(ComponentNames.of(ClusterRole.class)).isEqualTo("io.k8s.api.rbac.v1.ClusterRole");
        assertThat(ComponentNames.of(StorageClass.class)).isEqualTo("io.k8s.api.storage.v1.StorageClass");
        assertThat(ComponentNames.of(TokenReview.class)).isEqualTo("io.k8s.api.authentication.v1.TokenReview");
        assertThat(ComponentNames.of(SubjectAccessReview.class))
                .isEqualTo("io.k8s.api.authorization.v1.SubjectAccessReview");
        assertThat(ComponentNames.of(HorizontalPodAutoscaler.class))
                .isEqualTo("io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler");
        assertThat(ComponentNames.of(CustomResourceDefinition.class))
                .isEqualTo("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition");
    }

    @Test
    void operationIdsNameTheGroupAsUpstreamDoes() {
        assertThat(ResourcePaths.groupVersionName("", "v1")).isEqualTo("CoreV1");
        assertThat(ResourcePaths.groupVersionName("apps", "v1")).isEqualTo("AppsV1");
        assertThat(ResourcePaths.groupVersionName("rbac.authorization.k8s.io", "v1")).isEqualTo("RbacAuthorizationV1");
        assertThat(ResourcePaths.groupVersionName("networking.k8s.io", "v1")).isEqualTo("NetworkingV1");
        assertThat(ResourcePaths.groupVersionName("stable.example.com", "v1beta1")).isEqualTo("StableExampleComV1beta1");
    }

    private static Optional<Class<?>> find(String group, String version, String kind) {
        return ModelClasses.find(group, version, kind);
    }
}
