package dev.flotilla.apiserver.openapi;

import dev.flotilla.apiserver.openapi.Parameter.Location;
import java.util.List;

/**
 * The parameters resource operations declare, grouped by verb as upstream declares them. kubectl
 * reads these: above all {@code fieldValidation} on PATCH, whose presence tells it the server
 * validates fields itself so it sends {@code fieldValidation=Strict} instead of validating the
 * manifest against the schemas on the client. Descriptions are our own short summaries.
 */
final class Parameters {

    static final Parameter NAME = new Parameter("name", Location.PATH, "string", true, List.of(),
            "Name of the object.");
    static final Parameter NAMESPACE = new Parameter("namespace", Location.PATH, "string", true, List.of(),
            "Namespace of the objects.");
    static final Parameter PRETTY = query("pretty", "string", List.of(), "If 'true', the output is indented.");

    static final Parameter ALLOW_WATCH_BOOKMARKS = query("allowWatchBookmarks", "boolean", List.of(),
            "Ask a watch to send BOOKMARK events carrying only a resourceVersion.");
    static final Parameter CONTINUE = query("continue", "string", List.of(),
            "The continue token of the previous page of a paged list.");
    static final Parameter FIELD_SELECTOR = query("fieldSelector", "string", List.of(),
            "Only objects whose fields match this selector.");
    static final Parameter LABEL_SELECTOR = query("labelSelector", "string", List.of(),
            "Only objects whose labels match this selector.");
    static final Parameter LIMIT = query("limit", "integer", List.of(),
            "The most objects to return; the list then carries a continue token if more remain.");
    static final Parameter RESOURCE_VERSION = query("resourceVersion", "string", List.of(),
            "The resourceVersion to list at or watch from.");
    static final Parameter SEND_INITIAL_EVENTS = query("sendInitialEvents", "boolean", List.of(),
            "Start a watch with ADDED events for the objects that exist.");
    static final Parameter TIMEOUT_SECONDS = query("timeoutSeconds", "integer", List.of(),
            "End a list or watch call after this many seconds.");
    static final Parameter WATCH = query("watch", "boolean", List.of(),
            "Stream changes to the matching objects instead of listing them.");

    static final Parameter DRY_RUN = query("dryRun", "string", List.of("All"),
            "If 'All', run every step of the request but persist nothing.");
    static final Parameter FIELD_MANAGER = query("fieldManager", "string", List.of(),
            "Name of the actor making the change.");
    static final Parameter FIELD_VALIDATION = query("fieldValidation", "string", List.of("Ignore", "Warn", "Strict"),
            "How to treat unknown or duplicate fields in the body: Ignore, Warn or Strict.");
    static final Parameter FORCE = query("force", "boolean", List.of(),
            "Force a server-side apply patch over conflicting field managers; only for apply patches.");
    static final Parameter PROPAGATION_POLICY = query("propagationPolicy", "string",
            List.of("Foreground", "Background", "Orphan"), "Whether and how dependents are deleted.");

    static final List<Parameter> LIST = List.of(ALLOW_WATCH_BOOKMARKS, CONTINUE, FIELD_SELECTOR, LABEL_SELECTOR, LIMIT,
            RESOURCE_VERSION, SEND_INITIAL_EVENTS, TIMEOUT_SECONDS, WATCH);
    static final List<Parameter> WRITE = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION);
    static final List<Parameter> PATCH = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE);
    static final List<Parameter> DELETE = List.of(DRY_RUN, PROPAGATION_POLICY);
    static final List<Parameter> DELETE_COLLECTION = List.of(DRY_RUN, FIELD_SELECTOR, LABEL_SELECTOR,
            PROPAGATION_POLICY);

    private Parameters() {
    }

    private static Parameter query(String name, String type, List<String> allowed, String description) {
        return new Parameter(name, Location.QUERY, type, false, allowed, description);
    }
}
