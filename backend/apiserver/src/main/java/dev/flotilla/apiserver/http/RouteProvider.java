package dev.flotilla.apiserver.http;

import java.util.List;

/** A bean that contributes routes to the API server; each group of endpoints registers itself this way. */
public interface RouteProvider {
    List<Route> routes();
}
