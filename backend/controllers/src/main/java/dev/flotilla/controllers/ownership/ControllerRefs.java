package dev.flotilla.controllers.ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** The controlling owner reference of an object, as upstream's metav1.GetControllerOf and NewControllerRef. */
public final class ControllerRefs {

    private ControllerRefs() {
    }

    /** The owner reference with {@code controller: true}, or null. */
    public static OwnerReference controllerOf(HasMetadata object) {
        for (OwnerReference reference : object.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(reference.getController())) {
                return reference;
            }
        }
        return null;
    }

    public static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
        OwnerReference reference = controllerOf(object);
        return reference != null && owner.getMetadata().getUid().equals(reference.getUid());
    }

    /** A reference making {@code owner} the controller of a dependent, blocking its foreground deletion. */
    public static OwnerReference controllerRef(HasMetadata owner, String apiVersion, String kind) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind)
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }
}
