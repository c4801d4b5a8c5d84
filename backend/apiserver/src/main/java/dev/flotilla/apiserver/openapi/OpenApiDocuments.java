package dev.flotilla.apiserver.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.version.ServerVersion;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the OpenAPI documents from the resource registry and keeps them until the registry changes.
 * The registry can gain and lose types at run time (custom resources), so every request compares a
 * canonical rendering of the registry's content with the one the cached documents were built from
 * (a few dozen short strings) and rebuilds on a difference. Schemas of model classes never change and
 * are reused across rebuilds.
 */
@Singleton
public class OpenApiDocuments {

    private final ResourceRegistry registry;
    private final String serverVersion;
    private final ModelSchemas v3Schemas = new ModelSchemas(SchemaDialect.OPENAPI_V3);
    private final ModelSchemas v2Schemas = new ModelSchemas(SchemaDialect.SWAGGER_V2);
    private volatile Cached cached;

    private record Cached(String registryContent, DocumentSet documents) {
    }

    @Inject
    public OpenApiDocuments(ResourceRegistry registry) {
        this(registry, ServerVersion.current().gitVersion());
    }

    OpenApiDocuments(ResourceRegistry registry, String serverVersion) {
        this.registry = registry;
        this.serverVersion = serverVersion;
    }

    DocumentSet current() {
        List<ResourceType> types = sorted(registry.all());
        String content = canonical(types);
        Cached now = cached;
        if (now != null && now.registryContent().equals(content)) {
            return now.documents();
        }
        synchronized (this) {
            now = cached;
            if (now == null || !now.registryContent().equals(content)) {
                now = new Cached(content, build(types));
                cached = now;
            }
            return now.documents();
        }
    }

    private DocumentSet build(List<ResourceType> types) {
        Map<String, List<ResourceType>> byGroupVersion = types.stream().collect(Collectors.groupingBy(
                OpenApiDocuments::groupVersionPath, TreeMap::new, Collectors.toList()));
        Map<String, ServedDocument> documents = new TreeMap<>();
        byGroupVersion.forEach((path, members) -> documents.put(path,
                ServedDocument.of(OpenApiV3Writer.write(ApiSurface.of(members, v3Schemas), serverVersion))));
        return new DocumentSet(root(documents), documents,
                () -> ServedDocument.of(SwaggerV2Writer.write(ApiSurface.of(types, v2Schemas), serverVersion)));
    }

    /** The {@code /openapi/v3} body: each group-version's document URL, pinned to its current hash. */
    private static ServedDocument root(Map<String, ServedDocument> documents) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode paths = root.putObject("paths");
        documents.forEach((path, document) -> paths.putObject(path)
                .put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + document.hash()));
        return ServedDocument.of(root);
    }

    static String groupVersionPath(ResourceType type) {
        return type.group().isEmpty() ? "api/" + type.version() : "apis/" + type.group() + "/" + type.version();
    }

    private static List<ResourceType> sorted(Collection<ResourceType> types) {
        List<ResourceType> list = new ArrayList<>(types);
        list.sort(Comparator.comparing(ResourceType::group).thenComparing(ResourceType::version)
                .thenComparing(ResourceType::resource));
        return list;
    }

    /**
     * What of the registry's content the documents depend on, in a fixed order (sets sorted) so equal
     * registries compare equal.
     */
    private static String canonical(List<ResourceType> types) {
        StringBuilder out = new StringBuilder();
        for (ResourceType t : types) {
            out.append(String.join("|", t.group(), t.version(), t.kind(), t.resource(),
                    Boolean.toString(t.namespaced()),
                    t.verbs().stream().sorted().collect(Collectors.joining(",")),
                    t.subresources().stream().sorted().collect(Collectors.joining(",")),
                    Integer.toString(java.util.Objects.hashCode(t.custom())))).append('\n');
        }
        return out.toString();
    }
}
