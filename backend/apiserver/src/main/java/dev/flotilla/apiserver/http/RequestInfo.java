package dev.flotilla.apiserver.http;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes verb and resource of a request, read from its method and URL alone (as upstream's
 * RequestInfoFactory does), for metrics, limits and, later, authorization. Non-resource requests
 * have an empty resource and the lower-case HTTP method as verb.
 */
public record RequestInfo(String verb, String resource, String subresource, boolean longRunning) {

    private static final Set<String> LONG_RUNNING_SUBRESOURCES = Set.of("exec", "attach", "portforward", "proxy",
            "log");

    public static RequestInfo of(String method, String path, Map<String, List<String>> query) {
        List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        int start;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            start = 2;
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            start = 3;
        } else {
            return new RequestInfo(method.toLowerCase(java.util.Locale.ROOT), "", "", false);
        }
        List<String> rest = parts.subList(start, parts.size());
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        boolean collection = rest.size() == 1;
        String subresource = rest.size() >= 3 ? rest.get(2) : "";
        boolean watch = isTrue(query.get("watch"));
        String verb = switch (method) {
            case "GET", "HEAD" -> collection ? (watch ? "watch" : "list") : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> collection ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return new RequestInfo(verb, resource, subresource, watch || LONG_RUNNING_SUBRESOURCES.contains(subresource));
    }

    private static boolean isTrue(List<String> values) {
        return values != null && !values.isEmpty() && (values.get(0).equals("true") || values.get(0).equals("1"));
    }
}
