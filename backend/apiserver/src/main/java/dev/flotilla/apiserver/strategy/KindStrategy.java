package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.status.FieldError;
import java.util.List;
import java.util.Set;

/**
 * What is special about one kind (upstream's REST strategy): defaults, validation and the few
 * side effects a kind has (allocations, graceful deletion). The generic resource handler calls these
 * hooks in a fixed order; a new kind rule is a new small class registered as a bean.
 */
public interface KindStrategy {

    /** The kinds this strategy applies to, as {@code group/Kind} ({@code /Pod} for the core group). */
    Set<String> kinds();

    /** Defaults on create, after the generic metadata is set and before validation. */
    default void prepareForCreate(ObjectNode object) {
    }

    /**
     * Defaults that depend on who creates the object (a CSR records its requester); by default the
     * same as {@link #prepareForCreate(ObjectNode)}.
     */
    default void prepareForCreate(ObjectNode object, UserInfo creator) {
        prepareForCreate(object);
    }

    /** Every problem of a new object, with its field path. */
    default List<FieldError> validate(ObjectNode object) {
        return List.of();
    }

    /** Carries server-owned values from {@code old} to {@code updated} (allocated IPs, defaults). */
    default void prepareForUpdate(ObjectNode updated, ObjectNode old) {
    }

    /** Every problem of an update: immutable fields, transitions. */
    default List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        return validate(updated);
    }

    /** Every problem of a status subresource update (only status changed); none by default. */
    default List<FieldError> validateStatusUpdate(ObjectNode updated, ObjectNode old) {
        return List.of();
    }

    /** Reserves what the object needs before it is stored (cluster IPs, node ports). */
    default void allocate(ObjectNode object) {
    }

    /** Reserves what an update newly needs (a node port for a port added to a NodePort service). */
    default void allocateForUpdate(ObjectNode updated, ObjectNode old) {
    }

    /** Gives back what {@link #allocate} or an update reserved, after a delete or a failed write. */
    default void release(ObjectNode object) {
    }

    /** Releases what {@code old} holds and {@code updated} does not: a node port an update stopped using, or one a refused update had claimed. */
    default void releaseUnused(ObjectNode updated, ObjectNode old) {
    }

    /**
     * Seconds the object may take to go away once deleted (pods bound to a node), or 0 to remove it at
     * once. {@code requested} is the client's gracePeriodSeconds, or null.
     */
    default long gracePeriodSeconds(ObjectNode object, Long requested) {
        return 0;
    }

    /** Marks a kept object as being deleted beyond deletionTimestamp (a namespace turns Terminating). */
    default void prepareForDelete(ObjectNode object) {
    }

    /** Whether something besides metadata.finalizers still holds a deleted object (a namespace's spec.finalizers). */
    default boolean deletionHeld(ObjectNode object) {
        return false;
    }

    /**
     * The propagation policy when a DELETE names none (upstream's DefaultGarbageCollectionPolicy):
     * Background for almost every kind.
     */
    default String defaultPropagationPolicy(ObjectNode object) {
        return "Background";
    }
}
