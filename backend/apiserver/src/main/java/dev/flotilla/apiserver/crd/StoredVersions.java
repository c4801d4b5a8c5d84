package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.resource.AutoscalingV1Conversion;
import dev.flotilla.apiserver.resource.ObjectCodec;
import dev.flotilla.storage.StoredObject;

/**
 * Conversion strategy None between a CRD's versions: objects are kept at the storage version and
 * served at the version asked for, only apiVersion rewritten. On the way out the served version's
 * schema defaults are applied too (upstream defaults on read), so objects stored before a default was
 * added show it. Built-in kinds are stored as given, except autoscaling/v1 HorizontalPodAutoscalers,
 * stored as v2 ({@link AutoscalingV1Conversion}).
 */
public final class StoredVersions {

    private StoredVersions() {
    }

    /** Whether objects of the type are stored at another version than they are served at. */
    public static boolean converts(ResourceType type) {
        return type.isCustom() || AutoscalingV1Conversion.isV1Autoscaler(type);
    }

    /** The object as it is written to storage: a copy at the storage version for custom resources. */
    public static ObjectNode forStorage(ResourceType type, ObjectNode object) {
        if (AutoscalingV1Conversion.isV1Autoscaler(type)) {
            return AutoscalingV1Conversion.toV2(object);
        }
        if (!type.isCustom()) {
            return object;
        }
        ObjectNode copy = object.deepCopy();
        copy.put("apiVersion", type.group() + "/" + type.custom().storageVersion());
        return copy;
    }

    /** The stored object as the type's version serves it. */
    public static ObjectNode served(ResourceType type, ObjectNode object) {
        if (type.isCustom()) {
            object.put("apiVersion", type.apiVersion());
            SchemaDefaults.apply(object, type.custom().schema());
        } else if (AutoscalingV1Conversion.isV1Autoscaler(type)) {
            AutoscalingV1Conversion.toV1(object);
        }
        return object;
    }

    /** A stored object re-encoded as the type's version serves it (list items and watch events). */
    public static StoredObject served(ResourceType type, StoredObject stored) {
        if (stored == null || !converts(type)) {
            return stored;
        }
        ObjectNode object = served(type, ObjectCodec.parseStored(stored.value()));
        return new StoredObject(stored.key(), Json.toBytes(object), stored.modRevision(), stored.createRevision());
    }
}
