package dev.flotilla.apiserver.openapi;

/**
 * What a request or response body holds, as an operation names it: a fabric8 model class, or, for a
 * kind no model class describes (custom resources registered at run time), an open object of that
 * kind or a list of them. Documents turn each into a schema component and a {@code $ref}.
 */
sealed interface BodyType {

    static BodyType model(Class<?> type) {
        return new Model(type);
    }

    /** A fabric8 model class (or special type) such as {@code Deployment} or {@code Status}. */
    record Model(Class<?> type) implements BodyType {
    }

    /**
     * An object of a kind without a model class: known fields are apiVersion, kind and metadata, plus
     * what {@code schema} (a custom resource's openAPIV3Schema, or null) declares.
     */
    record OpenKind(GroupVersionKind gvk, com.fasterxml.jackson.databind.JsonNode schema) implements BodyType {
    }

    /** The list kind of an {@link OpenKind}. */
    record OpenList(GroupVersionKind gvk, OpenKind item) implements BodyType {
    }
}
