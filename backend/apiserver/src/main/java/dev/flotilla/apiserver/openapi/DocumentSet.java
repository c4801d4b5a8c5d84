package dev.flotilla.apiserver.openapi;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every OpenAPI document for one state of the resource registry: the v3 root, one v3 document per
 * group-version (keyed {@code api/v1}, {@code apis/apps/v1}), and the Swagger 2.0 document, which
 * is built only when first asked for since current kubectl reads v3.
 */
final class DocumentSet {

    private final ServedDocument root;
    private final Map<String, ServedDocument> groupVersions;
    private final Supplier<ServedDocument> swaggerBuilder;
    private ServedDocument swagger;

    DocumentSet(ServedDocument root, Map<String, ServedDocument> groupVersions, Supplier<ServedDocument> swagger) {
        this.root = root;
        this.groupVersions = Map.copyOf(groupVersions);
        this.swaggerBuilder = swagger;
    }

    ServedDocument root() {
        return root;
    }

    /** The document of {@code api/<version>} or {@code apis/<group>/<version>}, if that group-version is served. */
    Optional<ServedDocument> groupVersion(String path) {
        return Optional.ofNullable(groupVersions.get(path));
    }

    synchronized ServedDocument swagger() {
        if (swagger == null) {
            swagger = swaggerBuilder.get();
        }
        return swagger;
    }
}
