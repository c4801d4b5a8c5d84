package dev.flotilla.api.apply;

import java.util.List;

/**
 * How server-side apply treats one place in an object, as upstream's structured-merge-diff schemas
 * say it with {@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys} and
 * {@code x-kubernetes-map-type}: lists are atomic (replaced whole), sets of scalars, or maps of
 * items identified by key fields; objects are granular (owned field by field) or atomic. What a
 * shape does not know is a granular object with unknown children, and its lists are atomic.
 */
public interface FieldShape {

    enum ListType { ATOMIC, SET, MAP }

    /** A place nothing is known about: granular objects, atomic lists. */
    FieldShape UNKNOWN = new FieldShape() {
    };

    /** The shape of field (or, for a map with arbitrary keys, entry) {@code name} of this object. */
    default FieldShape field(String name) {
        return UNKNOWN;
    }

    /** The shape of the items of this list. */
    default FieldShape items() {
        return UNKNOWN;
    }

    default ListType listType() {
        return ListType.ATOMIC;
    }

    /** The fields that identify an item of a {@link ListType#MAP} list. */
    default List<String> listKeys() {
        return List.of();
    }

    /** An object owned and replaced as one value ({@code x-kubernetes-map-type: atomic}). */
    default boolean atomic() {
        return false;
    }

    /**
     * A map with arbitrary keys (labels, annotations, data) rather than a struct: its own path is a
     * member of a field set besides its entries, as upstream records ({@code ".": {}}).
     */
    default boolean keyedMap() {
        return false;
    }
}
