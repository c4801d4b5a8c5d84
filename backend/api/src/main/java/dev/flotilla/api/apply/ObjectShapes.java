package dev.flotilla.api.apply;

import dev.flotilla.api.resource.ResourceType;

/**
 * Where the shapes of a kind's objects come from: the built-in model classes for built-in kinds;
 * a custom resource's openAPIV3Schema can supply its own.
 */
public interface ObjectShapes {

    /** The shape of a whole object of {@code type}; {@link FieldShape#UNKNOWN} when nothing is known. */
    FieldShape of(ResourceType type);
}
