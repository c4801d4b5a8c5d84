package dev.flotilla.apiserver.http;

/** Serves one path (or path family). May block briefly; it never runs on a network event loop. */
@FunctionalInterface
public interface Endpoint {
    ApiResponse handle(ApiRequest request);
}
