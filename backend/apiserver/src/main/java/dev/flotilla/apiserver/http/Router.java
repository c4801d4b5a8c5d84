package dev.flotilla.apiserver.http;

import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Finds the route for a path among everything the {@link RouteProvider}s registered; longest path wins. */
@Singleton
public class Router {

    private final List<Route> routes;

    public Router(List<RouteProvider> providers) {
        this.routes = providers.stream()
                .flatMap(p -> p.routes().stream())
                .sorted(Comparator.comparingInt((Route r) -> r.path().length()).reversed())
                .toList();
    }

    public Optional<Route> find(String path) {
        String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return routes.stream().filter(r -> r.matches(normalized)).findFirst();
    }
}
