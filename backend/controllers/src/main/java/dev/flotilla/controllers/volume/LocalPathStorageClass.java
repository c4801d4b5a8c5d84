package dev.flotilla.controllers.volume;

import dev.flotilla.api.storage.VolumeAnnotations;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The {@code local-path} StorageClass every cluster has: WaitForFirstConsumer, reclaim policy
 * Delete, not the default class (a claim must name it, or an operator marks it default). Created when
 * missing at the start of each controller-manager term; an existing one (also one an operator
 * changed or marked default) is left as it is.
 */
final class LocalPathStorageClass {

    private LocalPathStorageClass() {
    }

    static StorageClass definition() {
        return new StorageClassBuilder().withNewMetadata().withName(VolumeAnnotations.LOCAL_PATH_CLASS).endMetadata()
                .withProvisioner(VolumeAnnotations.LOCAL_PATH_PROVISIONER)
                .withReclaimPolicy("Delete")
                .withVolumeBindingMode(VolumeAnnotations.WAIT_FOR_FIRST_CONSUMER)
                .withAllowVolumeExpansion(false)
                .build();
    }

    static void ensure(KubernetesClient client) {
        var classes = client.storage().v1().storageClasses();
        if (classes.withName(VolumeAnnotations.LOCAL_PATH_CLASS).get() != null) {
            return;
        }
        try {
            classes.resource(definition()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }
}
