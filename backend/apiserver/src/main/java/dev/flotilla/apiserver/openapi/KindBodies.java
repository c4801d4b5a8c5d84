package dev.flotilla.apiserver.openapi;

import dev.flotilla.apiserver.model.BuiltInSchemas;
import dev.flotilla.apiserver.model.ModelClasses;
import dev.flotilla.api.resource.ResourceType;
import java.util.Optional;

/**
 * The body types of one resource: its kind and its list kind. Built-in kinds resolve to fabric8
 * classes; a kind fabric8 does not know (a custom resource registered at run time) gets open object
 * schemas, so its paths are still published and kubectl still finds its operations.
 */
record KindBodies(BodyType kind, BodyType list) {

    static KindBodies of(ResourceType type) {
        GroupVersionKind kind = GroupVersionKind.of(type);
        GroupVersionKind list = GroupVersionKind.listOf(type);
        BodyType.OpenKind open = new BodyType.OpenKind(kind,
                type.isCustom() ? type.custom().schema() : BuiltInSchemas.of(type).orElse(null));
        if (type.isCustom()) {
            return new KindBodies(open, new BodyType.OpenList(list, open));
        }
        return new KindBodies(
                model(kind).orElse(open),
                model(list).orElse(new BodyType.OpenList(list, open)));
    }

    /** Whether the kind resolved to a fabric8 class or has a schema of its own (every built-in kind must). */
    boolean hasModel() {
        return kind instanceof BodyType.Model || kind instanceof BodyType.OpenKind open && open.schema() != null;
    }

    private static Optional<BodyType> model(GroupVersionKind gvk) {
        return ModelClasses.find(gvk.group(), gvk.version(), gvk.kind()).map(BodyType::model);
    }
}
