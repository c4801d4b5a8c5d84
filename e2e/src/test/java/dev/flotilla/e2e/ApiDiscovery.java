package dev.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.HttpsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every resource and subresource the API serves, read from the legacy discovery documents
 * ({@code /api/v1}, {@code /apis} and each group version) as a client walks them, so tests that
 * cover "every resource" pick up new kinds without being edited. A resource served in several
 * versions is listed once, in its group's preferred version.
 */
final class ApiDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One entry of an APIResourceList; {@code name} is {@code pods} or {@code pods/log}. */
    record ApiResource(String group, String version, String name, String kind, boolean namespaced, List<String> verbs) {

        boolean isSubresource() {
            return name.contains("/");
        }

        /** {@code pods} for {@code pods/log}. */
        String parent() {
            return name.split("/", 2)[0];
        }

        /** {@code log} for {@code pods/log}, empty for a resource. */
        String subresource() {
            return isSubresource() ? name.split("/", 2)[1] : "";
        }

        String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        /** {@code /api/v1} or {@code /apis/<group>/<version>}. */
        String pathPrefix() {
            return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        }

        /** {@code pods/log} or {@code deployments.apps/scale}, as RBAC and the table name it. */
        String qualifiedName() {
            String parent = group.isEmpty() ? parent() : parent() + "." + group;
            return isSubresource() ? parent + "/" + subresource() : parent;
        }
    }

    private ApiDiscovery() {
    }

    static List<ApiResource> all(HttpsClient client) {
        List<ApiResource> resources = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode version : read(client, "/api").path("versions")) {
            add(resources, seen, client, "", version.asText());
        }
        for (JsonNode group : read(client, "/apis").path("groups")) {
            String preferred = group.path("preferredVersion").path("version").asText();
            add(resources, seen, client, group.path("name").asText(), preferred);
            for (JsonNode version : group.path("versions")) {
                if (!version.path("version").asText().equals(preferred)) {
                    add(resources, seen, client, group.path("name").asText(), version.path("version").asText());
                }
            }
        }
        return resources;
    }

    /**
     * The name of an existing object of {@code resource} (of its parent, for a subresource) in
     * {@code namespace} (null: cluster-scoped), so probes address real objects; {@code probe} when
     * there is none.
     */
    static String anyName(HttpsClient admin, ApiResource resource, String namespace) {
        String path = resource.pathPrefix() + (namespace == null ? "" : "/namespaces/" + namespace) + "/"
                + resource.parent() + "?limit=1";
        HttpResponse<String> list = admin.get(path);
        if (list.statusCode() == 200) {
            JsonNode items = parse(list.body()).path("items");
            if (!items.isEmpty()) {
                return items.get(0).path("metadata").path("name").asText();
            }
        }
        return "probe";
    }

    private static void add(List<ApiResource> resources, Set<String> seen, HttpsClient client, String group,
            String version) {
        String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        for (JsonNode resource : read(client, prefix).path("resources")) {
            String name = resource.path("name").asText();
            if (!seen.add(group + "/" + name)) {
                continue;
            }
            List<String> verbs = new ArrayList<>();
            resource.path("verbs").forEach(v -> verbs.add(v.asText()));
            resources.add(new ApiResource(group, version, name, resource.path("kind").asText(),
                    resource.path("namespaced").asBoolean(), List.copyOf(verbs)));
        }
    }

    private static JsonNode read(HttpsClient client, String path) {
        HttpResponse<String> response = client.get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
