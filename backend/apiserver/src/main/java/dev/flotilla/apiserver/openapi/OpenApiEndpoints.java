package dev.flotilla.apiserver.openapi;

import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.Route;
import dev.flotilla.apiserver.http.RouteProvider;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Serves the OpenAPI documents kubectl downloads: {@code /openapi/v3} (the root, listing every
 * group-version's document URL), {@code /openapi/v3/api/v1} and {@code /openapi/v3/apis/<group>/<version>}
 * (read by apply's field-validation check and patch calculation and by explain), and
 * {@code /openapi/v2} (one Swagger 2.0 document for older clients). Like discovery, they are open to
 * any authenticated user.
 */
@Singleton
public class OpenApiEndpoints implements RouteProvider {

    private static final String V2 = "/openapi/v2";
    private static final String V3 = "/openapi/v3";

    private final OpenApiDocuments documents;

    public OpenApiEndpoints(OpenApiDocuments documents) {
        this.documents = documents;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.tree("/openapi", false, this::serve));
    }

    private ApiResponse serve(ApiRequest request) {
        if (!request.method().name().equals("GET")) {
            throw ApiError.methodNotAllowed(request.method().name());
        }
        String path = request.path().length() > 1 && request.path().endsWith("/")
                ? request.path().substring(0, request.path().length() - 1) : request.path();
        if (path.equals(V2)) {
            DocumentResponses.requireJson(request);
            return DocumentResponses.serve(request, documents.current().swagger(), false);
        }
        if (path.equals(V3)) {
            return DocumentResponses.serve(request, documents.current().root(), false);
        }
        if (path.startsWith(V3 + "/")) {
            return groupVersion(request, path.substring(V3.length() + 1));
        }
        throw ApiError.notFoundPath();
    }

    private ApiResponse groupVersion(ApiRequest request, String groupVersion) {
        ServedDocument document = documents.current().groupVersion(groupVersion)
                .orElseThrow(ApiError::notFoundPath);
        DocumentResponses.requireJson(request);
        String hash = request.queryParam("hash");
        if (hash != null && !hash.equals(document.hash())) {
            return DocumentResponses.redirect(V3 + "/" + groupVersion + "?hash=" + document.hash());
        }
        return DocumentResponses.serve(request, document, hash != null);
    }
}
