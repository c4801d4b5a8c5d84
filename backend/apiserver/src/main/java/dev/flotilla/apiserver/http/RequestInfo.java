package dev.flotilla.apiserver.http;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a request asks for, read from its method and URL alone as upstream's RequestInfoFactory does:
 * for metrics, limits and authorization. A resource request ({@code /api/v1/...},
 * {@code /apis/<group>/<version>/...} below the version) has a verb, API group, namespace, resource,
 * subresource and name; anything else is a non-resource request whose verb is the lower-case HTTP
 * method and whose resource is empty.
 */
public record RequestInfo(String verb, String resource, String subresource, boolean longRunning,
        boolean resourceRequest, String apiGroup, String namespace, String name, String path) {

    private static final Set<String> LONG_RUNNING_SUBRESOURCES = Set.of("exec", "attach", "portforward", "proxy",
            "log");
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    public static RequestInfo of(String method, String path, Map<String, List<String>> query) {
        List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String group;
        List<String> rest;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            rest = parts.subList(2, parts.size());
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = parts.subList(3, parts.size());
        } else {
            return new RequestInfo(method.toLowerCase(Locale.ROOT), "", "", false, false, "", "", "", path);
        }
        String verb = switch (method) {
            case "GET", "HEAD" -> "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(Locale.ROOT);
        };
        if (rest.get(0).equals("watch") || rest.get(0).equals("proxy")) {
            // Deprecated /watch/ and /proxy/ path prefixes.
            verb = rest.get(0);
            rest = rest.subList(1, rest.size());
            if (rest.isEmpty()) {
                return new RequestInfo(method.toLowerCase(Locale.ROOT), "", "", false, false, "", "", "", path);
            }
        }
        String namespace = "";
        if (rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = rest.subList(2, rest.size());
            }
        }
        String resource = rest.get(0);
        String name = rest.size() >= 2 ? rest.get(1) : "";
        String subresource = rest.size() >= 3 ? rest.get(2) : "";
        boolean watch = verb.equals("watch") || isTrue(query.get("watch"));
        if (name.isEmpty() && verb.equals("get")) {
            verb = watch ? "watch" : "list";
            name = nameFromFieldSelector(query.get("fieldSelector"));
        } else if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        boolean longRunning = watch || verb.equals("proxy") || LONG_RUNNING_SUBRESOURCES.contains(subresource);
        return new RequestInfo(verb, resource, subresource, longRunning, true, group, namespace, name, path);
    }

    /** A list or watch of one object by {@code metadata.name=<name>} is authorized against that name, as upstream does. */
    private static String nameFromFieldSelector(List<String> selectors) {
        if (selectors == null || selectors.isEmpty()) {
            return "";
        }
        String name = "";
        for (String term : selectors.get(0).split(",")) {
            String trimmed = term.trim();
            for (String prefix : List.of("metadata.name==", "metadata.name=")) {
                if (trimmed.startsWith(prefix)) {
                    if (!name.isEmpty()) {
                        return "";
                    }
                    name = trimmed.substring(prefix.length());
                    break;
                }
            }
        }
        return name;
    }

    private static boolean isTrue(List<String> values) {
        return values != null && !values.isEmpty() && (values.get(0).equals("true") || values.get(0).equals("1"));
    }
}
