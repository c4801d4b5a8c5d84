package dev.flotilla.apiserver.http;

/**
 * A path this server serves. {@code publicInfo} routes (health and version) are open to anonymous
 * callers, as upstream's {@code system:public-info-viewer} role allows; all others need an
 * authenticated user.
 */
public record Route(String path, boolean prefix, boolean publicInfo, Endpoint endpoint) {

    public static Route exact(String path, boolean publicInfo, Endpoint endpoint) {
        return new Route(path, false, publicInfo, endpoint);
    }

    /** Serves {@code path} and everything below {@code path + "/"}. */
    public static Route tree(String path, boolean publicInfo, Endpoint endpoint) {
        return new Route(path, true, publicInfo, endpoint);
    }

    boolean matches(String requestPath) {
        return requestPath.equals(path) || (prefix && requestPath.startsWith(path + "/"));
    }
}
