package dev.flotilla.apiserver.openapi;

import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.openapi.Operation.RequestBody;
import dev.flotilla.apiserver.openapi.Operation.Response;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Patch;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paths and operations of one resource type, laid out as upstream lays them out: list, create
 * and deletecollection on the collection; read, replace, patch and delete on the item; a cluster-wide
 * list for namespaced types; and the status and scale subresources this server implements. Only the
 * verbs the type supports appear, so create-only review kinds get a single POST.
 */
final class ResourcePaths {

    static final List<String> PATCH_TYPES = List.of("application/json-patch+json", "application/merge-patch+json",
            "application/strategic-merge-patch+json", "application/apply-patch+yaml");
    private static final List<String> OBJECT_TYPES = List.of("application/json", "application/yaml");
    private static final List<String> LIST_TYPES = List.of("application/json", "application/yaml",
            "application/json;stream=watch");
    private static final List<String> ANY = List.of("*/*");
    private static final BodyType STATUS = BodyType.model(Status.class);
    private static final BodyType DELETE_OPTIONS = BodyType.model(DeleteOptions.class);
    private static final BodyType PATCH = BodyType.model(Patch.class);
    static final GroupVersionKind SCALE = new GroupVersionKind("autoscaling", "v1", "Scale");
    static final BodyType SCALE_BODY = BodyType.model(Scale.class);

    private final ResourceType type;
    private final KindBodies bodies;
    private final GroupVersionKind gvk;
    private final String idStem;

    private ResourcePaths(ResourceType type, KindBodies bodies) {
        this.type = type;
        this.bodies = bodies;
        this.gvk = GroupVersionKind.of(type);
        this.idStem = groupVersionName(type.group(), type.version());
    }

    static List<PathItem> of(ResourceType type, KindBodies bodies) {
        return new ResourcePaths(type, bodies).paths();
    }

    private List<PathItem> paths() {
        String root = type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.group() + "/" + type.version();
        String collection = root + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.resource();
        String item = collection + "/{name}";
        String scope = type.namespaced() ? "Namespaced" : "";
        List<Parameter> collectionParams = type.namespaced() ? List.of(Parameters.NAMESPACE, Parameters.PRETTY)
                : List.of(Parameters.PRETTY);
        List<Parameter> itemParams = type.namespaced()
                ? List.of(Parameters.NAME, Parameters.NAMESPACE, Parameters.PRETTY)
                : List.of(Parameters.NAME, Parameters.PRETTY);

        List<PathItem> paths = new ArrayList<>();
        add(paths, collection, collectionParams, collectionOperations(scope));
        add(paths, item, itemParams, itemOperations(scope, "", bodies.kind(), gvk));
        if (type.namespaced() && type.supports("list")) {
            add(paths, root + "/" + type.resource(), List.of(Parameters.PRETTY), List.of(list(
                    "list" + idStem + type.kind() + "ForAllNamespaces")));
        }
        if (type.hasSubresource("status")) {
            add(paths, item + "/status", itemParams, itemOperations(scope, "Status", bodies.kind(), gvk));
        }
        if (type.hasSubresource("scale")) {
            add(paths, item + "/scale", itemParams, itemOperations(scope, "Scale", SCALE_BODY, SCALE));
        }
        return paths;
    }

    private static void add(List<PathItem> paths, String path, List<Parameter> params, List<Operation> operations) {
        if (!operations.isEmpty()) {
            paths.add(new PathItem(path, params, operations));
        }
    }

    private List<Operation> collectionOperations(String scope) {
        String kind = type.kind();
        List<Operation> ops = new ArrayList<>();
        if (type.supports("list")) {
            ops.add(list("list" + idStem + scope + kind));
        }
        if (type.supports("create")) {
            ops.add(new Operation("post", "post", "create" + idStem + scope + kind, "create " + article(kind) + " " + kind,
                    gvk, Parameters.WRITE, new RequestBody(bodies.kind(), ANY), List.of(
                            objectResponse(200, "OK", bodies.kind()), objectResponse(201, "Created", bodies.kind()),
                            objectResponse(202, "Accepted", bodies.kind()))));
        }
        if (type.supports("deletecollection")) {
            ops.add(new Operation("delete", "deletecollection", "delete" + idStem + "Collection" + scope + kind,
                    "delete collection of " + kind, gvk, Parameters.DELETE_COLLECTION,
                    new RequestBody(DELETE_OPTIONS, ANY), List.of(objectResponse(200, "OK", STATUS))));
        }
        return ops;
    }

    private List<Operation> itemOperations(String scope, String sub, BodyType body, GroupVersionKind served) {
        String kind = type.kind();
        String id = idStem + scope + kind + sub;
        String of = sub.isEmpty() ? "the specified " + kind : sub.toLowerCase(Locale.ROOT) + " of the specified " + kind;
        List<Operation> ops = new ArrayList<>();
        if (type.supports("get")) {
            ops.add(new Operation("get", "get", "read" + id, "read " + of, served, List.of(), null,
                    List.of(objectResponse(200, "OK", body))));
        }
        if (type.supports("update")) {
            ops.add(new Operation("put", "put", "replace" + id, "replace " + of, served, Parameters.WRITE,
                    new RequestBody(body, ANY),
                    List.of(objectResponse(200, "OK", body), objectResponse(201, "Created", body))));
        }
        if (type.supports("patch")) {
            ops.add(new Operation("patch", "patch", "patch" + id, "partially update " + of, served, Parameters.PATCH,
                    new RequestBody(PATCH, PATCH_TYPES),
                    List.of(objectResponse(200, "OK", body), objectResponse(201, "Created", body))));
        }
        if (sub.isEmpty() && type.supports("delete")) {
            ops.add(new Operation("delete", "delete", "delete" + id, "delete " + article(kind) + " " + kind, served,
                    Parameters.DELETE, new RequestBody(DELETE_OPTIONS, ANY),
                    List.of(objectResponse(200, "OK", STATUS), objectResponse(202, "Accepted", STATUS))));
        }
        return ops;
    }

    private Operation list(String operationId) {
        return new Operation("get", "list", operationId, "list or watch objects of kind " + type.kind(), gvk,
                Parameters.LIST, null, List.of(new Response(200, "OK", bodies.list(), LIST_TYPES)));
    }

    private static Response objectResponse(int code, String description, BodyType body) {
        return new Response(code, description, body, OBJECT_TYPES);
    }

    /**
     * The group-version part of upstream's operation ids: {@code CoreV1}, {@code AppsV1},
     * {@code RbacAuthorizationV1}, {@code NetworkingV1}.
     */
    static String groupVersionName(String group, String version) {
        StringBuilder name = new StringBuilder();
        if (group.isEmpty()) {
            name.append("Core");
        } else {
            for (String part : group.replaceFirst("\\.k8s\\.io$", "").split("[.-]")) {
                name.append(capitalize(part));
            }
        }
        return name.append(capitalize(version)).toString();
    }

    private static String capitalize(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static String article(String kind) {
        return "AEIOU".indexOf(kind.charAt(0)) >= 0 ? "an" : "a";
    }
}
