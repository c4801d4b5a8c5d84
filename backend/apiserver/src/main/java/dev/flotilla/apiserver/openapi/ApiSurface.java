package dev.flotilla.apiserver.openapi;

import dev.flotilla.api.resource.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What a set of resource types publishes: their paths and operations, and the schemas those name,
 * with each kind (its list kind, and autoscaling/v1 Scale where a scale subresource serves it)
 * tagged by its group-version-kind. A group-version document renders
 * the surface of that group-version; the Swagger 2.0 document renders the surface of everything.
 */
record ApiSurface(List<PathItem> paths, SchemaCollector schemas) {

    static ApiSurface of(Collection<ResourceType> types, ModelSchemas models) {
        SchemaCollector schemas = new SchemaCollector(models);
        List<PathItem> paths = new ArrayList<>();
        for (ResourceType type : types) {
            KindBodies bodies = KindBodies.of(type);
            paths.addAll(ResourcePaths.of(type, bodies));
            schemas.markKind(bodies.kind(), GroupVersionKind.of(type));
            if (type.supports("list")) {
                schemas.markKind(bodies.list(), GroupVersionKind.listOf(type));
            }
            if (type.hasSubresource("scale")) {
                schemas.markKind(ResourcePaths.SCALE_BODY, ResourcePaths.SCALE);
            }
        }
        paths.sort(Comparator.comparing(PathItem::path));
        return new ApiSurface(List.copyOf(paths), schemas);
    }
}
