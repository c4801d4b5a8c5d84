package dev.flotilla.apiserver.nonresource;

import dev.flotilla.api.version.ServerVersion;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.Route;
import dev.flotilla.apiserver.http.RouteProvider;
import jakarta.inject.Singleton;
import java.util.List;

/** {@code GET /version}: the Kubernetes-shaped version of this server, read by {@code kubectl version}. */
@Singleton
public class VersionEndpoint implements RouteProvider {

    private final ApiResponse response = ApiResponse.json(200, ServerVersion.current());

    @Override
    public List<Route> routes() {
        return List.of(Route.exact("/version", true, request -> response));
    }
}
