package dev.flotilla.apiserver.resource;

import static dev.flotilla.apiserver.resource.Requests.isDryRun;
import static dev.flotilla.apiserver.resource.Requests.parseResourceVersion;
import static dev.flotilla.apiserver.resource.Requests.respond;
import static dev.flotilla.apiserver.resource.Requests.revisionOf;
import static dev.flotilla.apiserver.resource.Requests.warn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.admission.AdmissionAttributes;
import dev.flotilla.apiserver.admission.AdmissionChain;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.authz.EscalationGuard;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.apply.FieldManager;
import dev.flotilla.apiserver.strategy.KindStrategies;
import dev.flotilla.apiserver.strategy.KindStrategy;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.StoredObject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The verbs on a resource URL, for every kind alike: get, list, watch, create, update, patch,
 * delete and deletecollection, plus the status subresource. Kind-specific rules will plug in as
 * strategies; what is here is what upstream's generic registry does for every kind.
 */
@Singleton
public class ResourceHandler {

    private final ResourceStore store;
    /**
     * How often a patch, delete or unconditional update is retried after losing a race (upstream
     * retries until the request times out; a hot object with 16 concurrent writers needs ~16).
     */
    private static final int WRITE_ATTEMPTS = 32;

    private final KindStrategies strategies;
    private final List<Subresource> subresources;
    private final FieldManager fieldManager;
    private final Reviews reviews;
    private final EscalationGuard escalation;
    private final ListReader lists;
    private final AdmissionChain admission;
    private final List<ReadOnlyResource> readOnly;
    private final CachedFirstWrite writes;

    public ResourceHandler(ResourceStore store, KindStrategies strategies, List<Subresource> subresources,
            FieldManager fieldManager, Reviews reviews, EscalationGuard escalation, AdmissionChain admission,
            List<ReadOnlyResource> readOnly) {
        this.store = store;
        this.readOnly = List.copyOf(readOnly);
        this.admission = admission;
        this.strategies = strategies;
        this.subresources = List.copyOf(subresources);
        this.fieldManager = fieldManager;
        this.reviews = reviews;
        this.escalation = escalation;
        this.lists = new ListReader(store);
        this.writes = new CachedFirstWrite(store);
    }

    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        String method = request.method().name();
        for (ReadOnlyResource resource : readOnly) {
            if (resource.serves(target.type())) {
                return resource.handle(request, target);
            }
        }
        String sub = target.subresource();
        if (sub != null && !sub.equals("status")) {
            return subresource(sub, target.type()).handle(request, target);
        }
        ResourceType type = target.type();
        if (target.isCollection()) {
            return switch (method) {
                case "GET" -> ListOptions.from(request).watch() ? watch(request, target) : list(request, target);
                case "POST" -> create(request, target);
                case "DELETE" -> deleteCollection(request, target);
                default -> throw ApiError.methodNotAllowed(method);
            };
        }
        requireVerb(type, switch (method) {
            case "GET" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> throw ApiError.methodNotAllowed(method);
        }, method);
        return switch (method) {
            case "GET" -> get(request, target);
            case "PUT" -> update(request, target, ObjectCodec.decode(request.body(), request.headers().get("Content-Type")));
            case "PATCH" -> patch(request, target);
            case "DELETE" -> delete(request, target);
            default -> throw ApiError.methodNotAllowed(method);
        };
    }

    private Subresource subresource(String name, ResourceType type) {
        for (Subresource candidate : subresources) {
            if (candidate.name().equals(name) && candidate.serves(type)) {
                return candidate;
            }
        }
        // Declared in discovery but not served by any bean.
        throw ApiError.methodNotAllowed(name);
    }

    private ApiResponse get(ApiRequest request, ResourceRequest target) {
        ObjectNode object = store.require(target.type(), target.namespace(), target.name());
        if ("status".equals(target.subresource()) || !TableConverter.wantsTable(request.headers().get("Accept"))) {
            return respond(request, 200, object);
        }
        ObjectNode listMeta = Json.mapper().createObjectNode();
        listMeta.put("resourceVersion", ObjectMetadata.of(object).resourceVersion());
        return respond(request, 200, TableConverter.table(target.type(), List.of(object), listMeta));
    }

    private ApiResponse list(ApiRequest request, ResourceRequest target) {
        ResourceType type = target.type();
        requireVerb(type, "list", "GET");
        ListOptions options = ListOptions.from(request);
        options.checkForList();
        Predicate<ObjectNode> filter = filter(type, options);
        String accept = request.headers().get("Accept");
        if (TableConverter.wantsTable(accept)) {
            ListReader.Listing<ObjectNode> listing = lists.list(type, target.namespace(), options, filter,
                    filter != ALWAYS, ListItemForm.TREES);
            return respond(request, 200, TableConverter.table(type, listing.items(), listMeta(listing)));
        }
        if (!ObjectCodec.wantsYaml(accept)) {
            ListReader.Listing<byte[]> listing = lists.list(type, target.namespace(), options, filter,
                    filter != ALWAYS, ListItemForm.JSON);
            return new ApiResponse(200, ObjectCodec.JSON, JsonListBody.of(type, listMeta(listing), listing.items()),
                    Map.of());
        }
        ListReader.Listing<ObjectNode> listing = lists.list(type, target.namespace(), options, filter,
                filter != ALWAYS, ListItemForm.TREES);
        ObjectNode list = Json.mapper().createObjectNode();
        list.put("kind", type.listKind());
        list.put("apiVersion", type.apiVersion());
        list.set("metadata", listMeta(listing));
        ArrayNode array = list.putArray("items");
        listing.items().forEach(array::add);
        return respond(request, 200, list);
    }

    private static ObjectNode listMeta(ListReader.Listing<?> listing) {
        ObjectNode listMeta = Json.mapper().createObjectNode();
        listMeta.put("resourceVersion", Long.toString(listing.revision()));
        if (listing.continueToken() != null) {
            listMeta.put("continue", listing.continueToken());
            if (listing.remainingItemCount() > 0) {
                listMeta.put("remainingItemCount", listing.remainingItemCount());
            }
        }
        return listMeta;
    }

    /**
     * A watch starts from the resourceVersion given, or (for "", "0" or sendInitialEvents=true) with
     * the current state as ADDED events, read like a list with that resourceVersion.
     */
    private ApiResponse watch(ApiRequest request, ResourceRequest target) {
        ResourceType type = target.type();
        requireVerb(type, "watch", "GET");
        ListOptions options = ListOptions.from(request);
        options.checkForWatch();
        Predicate<ObjectNode> filter = filter(type, options);
        String rv = options.resourceVersion();
        boolean legacyStart = rv.isEmpty() || rv.equals("0");
        long minRevision = rv.isEmpty() ? -1 : rv.equals("0") ? 0 : options.resourceVersionNumber();
        long from;
        List<ObjectNode> initial = List.of();
        if (options.initialEvents() == null ? legacyStart : options.sendInitialEvents()) {
            ListReader.Listing<ObjectNode> state = lists.state(type, target.namespace(), minRevision, filter,
                    filter != ALWAYS, ListItemForm.TREES);
            initial = state.items();
            from = state.revision();
        } else if (legacyStart) {
            // sendInitialEvents=false without a resourceVersion: changes from now on.
            from = rv.isEmpty() ? store.currentRevision(type) : store.cachedAny(type, target.namespace()).revision();
        } else {
            from = minRevision;
        }
        boolean table = TableConverter.wantsTable(request.headers().get("Accept"));
        long start = from;
        List<ObjectNode> initialEvents = initial;
        boolean initialEventsEnd = options.sendInitialEvents() && options.allowWatchBookmarks();
        return ApiResponse.streaming(200, "application/json", stream -> WatchSession.start(stream, store, type,
                target.namespace(), start, initialEvents, filter, filter != ALWAYS, table, options.timeoutSeconds(),
                options.allowWatchBookmarks(), initialEventsEnd));
    }

    private ApiResponse create(ApiRequest request, ResourceRequest target) {
        requireVerb(target.type(), "create", "POST");
        ObjectNode object = ObjectCodec.decode(request.body(), request.headers().get("Content-Type"));
        ObjectPreparation.checkBody(target.type(), target.namespace(), object);
        return create(request, target, object);
    }

    private ApiResponse create(ApiRequest request, ResourceRequest target, ObjectNode object) {
        ResourceType type = target.type();
        if (!type.supports("get")) {
            // Review APIs: nothing is stored.
            return respond(request, 201, reviews.answer(type.kind(), object, request.user(), target.namespace()));
        }
        List<String> warnings = FieldValidation.check(type, object, request);
        KindStrategy strategy = strategies.of(type);
        ObjectPreparation.prepareForCreate(type, object);
        AdmissionAttributes attributes = new AdmissionAttributes(AdmissionOperation.CREATE, type,
                target.namespace(), null, object, null, request.user(), isDryRun(request));
        admission.admit(attributes);
        strategy.prepareForCreate(object, request.user());
        fieldManager.recordCreate(request, type, object, "CreateOptions");
        validate(type, object, strategy.validate(object));
        escalation.check(request.user(), type, target.namespace(), object);
        try {
            admission.validate(attributes);
            warnings = withAdmissionWarnings(warnings, attributes);
            ObjectMetadata meta = ObjectMetadata.of(object);
            if (isDryRun(request)) {
                return warn(respond(request, 201, object), warnings);
            }
            strategy.allocate(object);
            try {
                return warn(respond(request, 201, store.create(type, target.namespace(), meta.name(), object)),
                        warnings);
            } catch (ApiError e) {
                // After a 5xx the object may have been stored with what it was given: keeping a value
                // that is not used (the allocation repair returns it) is better than handing it out twice.
                if (e.code() < 500) {
                    strategy.release(object);
                }
                throw e;
            }
        } catch (ApiError e) {
            // What admission charged (quota) is given back when a later plugin refuses or the store
            // refuses the write; not after a 5xx, where the object may have been stored after all
            // (the quota controller's recount corrects that case).
            if (e.code() < 500) {
                attributes.failed();
            }
            throw e;
        }
    }

    /** PUT: a body naming a resourceVersion is a conditional update, its conflict final. */
    private ApiResponse update(ApiRequest request, ResourceRequest target, ObjectNode object) {
        String asked = ObjectMetadata.of(object).resourceVersion();
        boolean conditional = asked != null && !asked.isEmpty();
        return writes.runOnExisting(target, WRITE_ATTEMPTS, conditional, !isDryRun(request),
                stored -> update(request, target, object.deepCopy(), stored));
    }

    /** Updates {@code stored}, the object as read, to {@code object}; a write in between fails the compare-and-swap. */
    private ApiResponse update(ApiRequest request, ResourceRequest target, ObjectNode object, ObjectNode stored) {
        ResourceType type = target.type();
        ObjectPreparation.checkBody(type, target.namespace(), object);
        ObjectMetadata meta = urlNamed(object, target);
        long expected = revisionOf(ObjectMetadata.of(stored).resourceVersion());
        String clientVersion = meta.resourceVersion();
        if (clientVersion != null && !clientVersion.isEmpty()) {
            long asked = parseResourceVersion(clientVersion);
            if (asked != expected) {
                throw ApiError.objectModified(type.group(), type.resource(), target.name());
            }
        }
        boolean statusOnly = "status".equals(target.subresource());
        List<String> warnings = FieldValidation.check(type, object, request);
        KindStrategy strategy = strategies.of(type);
        ObjectPreparation.prepareForUpdate(type, object, stored, statusOnly);
        AdmissionAttributes attributes = new AdmissionAttributes(AdmissionOperation.UPDATE, type,
                target.namespace(), target.subresource(), object, stored, request.user(), isDryRun(request));
        admission.admit(attributes);
        if (!statusOnly) {
            strategy.prepareForUpdate(object, stored);
        }
        fieldManager.recordUpdate(request, type, object, stored, target.subresource());
        validate(type, object, statusOnly ? strategy.validateStatusUpdate(object, stored)
                : strategy.validateUpdate(object, stored));
        escalation.check(request.user(), type, target.namespace(), object);
        admission.validate(attributes);
        warnings = withAdmissionWarnings(warnings, attributes);
        if (isDryRun(request)) {
            return warn(respond(request, 200, object), warnings);
        }
        if (!statusOnly) {
            strategy.allocateForUpdate(object, stored);
        }
        ObjectMetadata updatedMeta = ObjectMetadata.of(object);
        if (updatedMeta.deletionTimestamp() != null && !updatedMeta.hasFinalizers() && !strategy.deletionHeld(object)
                && updatedMeta.metadata().path("deletionGracePeriodSeconds").asLong(0) == 0) {
            // The last finalizer is gone from an object already marked for deletion: it goes now.
            try {
                strategy.release(store.delete(type, target.namespace(), target.name(), expected));
            } finally {
                strategy.releaseUnused(stored, object);
            }
            return respond(request, 200, object);
        }
        ObjectNode saved;
        try {
            saved = store.update(type, target.namespace(), target.name(), object, expected);
        } catch (ApiError e) {
            // A refused write (a conflict, before a retry on the newer object) gives back what this
            // attempt claimed: the values the update holds that the stored object does not.
            if (!statusOnly && e.code() < 500) {
                strategy.releaseUnused(stored, object);
            }
            throw e;
        }
        if (!statusOnly) {
            strategy.releaseUnused(saved, stored);
        }
        return warn(respond(request, 200, saved), warnings);
    }

    /**
     * A patch that does not pin a resourceVersion is applied to the latest object: when another write
     * wins between our read and our compare-and-swap, it is re-applied, as upstream's update loop does.
     */
    private ApiResponse patch(ApiRequest request, ResourceRequest target) {
        boolean pinned = pinsResourceVersion(request);
        if (FieldManager.isApply(request)) {
            return writes.run(target, WRITE_ATTEMPTS, pinned, !isDryRun(request), current -> apply(request, target, current));
        }
        return writes.runOnExisting(target, WRITE_ATTEMPTS, pinned, !isDryRun(request),
                current -> patchOnce(request, target, current));
    }

    private ApiResponse patchOnce(ApiRequest request, ResourceRequest target, ObjectNode current) {
        String contentType = request.headers().get("Content-Type");
        JsonNode patch = Patches.parse(request.body(), contentType);
        ObjectNode patched = Patches.apply(current, patch, contentType);
        ObjectMetadata meta = ObjectMetadata.of(patched);
        if (meta.resourceVersion() == null) {
            meta.set("resourceVersion", ObjectMetadata.of(current).resourceVersion());
        }
        return update(request, target, patched, current);
    }

    /** Whether the patch or applied configuration names a resourceVersion, making a conflict final. */
    private static boolean pinsResourceVersion(ApiRequest request) {
        String contentType = request.headers().get("Content-Type");
        JsonNode body = FieldManager.isApply(request) ? ObjectCodec.decode(request.body(), contentType)
                : Patches.parse(request.body(), contentType);
        if (body.isArray()) {
            for (JsonNode operation : body) {
                if (operation.path("path").asText().equals("/metadata/resourceVersion")) {
                    return true;
                }
            }
            return false;
        }
        return body.path("metadata").has("resourceVersion");
    }

    /** Server-side apply: merges the applied configuration into the object, creating it when absent. */
    private ApiResponse apply(ApiRequest request, ResourceRequest target, Optional<ObjectNode> current) {
        ResourceType type = target.type();
        ObjectNode applied = ObjectCodec.decode(request.body(), request.headers().get("Content-Type"));
        ObjectPreparation.checkBody(type, target.namespace(), applied);
        ObjectMetadata meta = urlNamed(applied, target);
        if (current.isEmpty()) {
            if (target.subresource() != null) {
                throw ApiError.notFound(type.group(), type.resource(), target.name());
            }
            requireVerb(type, "create", "PATCH");
            return create(request, target, fieldManager.apply(request, type, null, applied, null));
        }
        ObjectNode merged = fieldManager.apply(request, type, current.get(), applied, target.subresource());
        if (meta.resourceVersion() == null) {
            ObjectMetadata.of(merged).set("resourceVersion", ObjectMetadata.of(current.get()).resourceVersion());
        }
        return update(request, target, merged, current.get());
    }

    /** The object's metadata, its name set to the one on the URL, which a different name in the body may not contradict. */
    private static ObjectMetadata urlNamed(ObjectNode object, ResourceRequest target) {
        ObjectMetadata meta = ObjectMetadata.of(object);
        if (meta.name() != null && !meta.name().equals(target.name())) {
            throw ApiError.badRequest("the name of the object (" + meta.name() + ") does not match the name on the URL ("
                    + target.name() + ")");
        }
        meta.set("name", target.name());
        return meta;
    }

    /**
     * A delete that loses a compare-and-swap to another writer (a controller updating status, say) is
     * retried on the fresh object, as upstream's update loop does; preconditions are checked again each time.
     */
    private ApiResponse delete(ApiRequest request, ResourceRequest target) {
        return writes.runOnExisting(target, WRITE_ATTEMPTS, false, !isDryRun(request),
                current -> deleteOnce(request, target, current));
    }

    private ApiResponse deleteOnce(ApiRequest request, ResourceRequest target, ObjectNode current) {
        ResourceType type = target.type();
        long revision = revisionOf(ObjectMetadata.of(current).resourceVersion());
        DeleteOptions options = DeleteOptions.from(request);
        options.checkPreconditions(type, target.name(), current);
        admission.validate(new AdmissionAttributes(AdmissionOperation.DELETE, type, target.namespace(), null, null,
                current, request.user(), isDryRun(request)));
        KindStrategy strategy = strategies.of(type);
        long grace = strategy.gracePeriodSeconds(current, options.gracePeriodSeconds());
        boolean finalizersChanged = DeletionFinalizers.apply(current, options, strategy.defaultPropagationPolicy(current));
        if (grace > 0 || ObjectMetadata.of(current).hasFinalizers() || strategy.deletionHeld(current)) {
            return markDeleted(request, target, current, revision, grace, finalizersChanged, options);
        }
        if (isDryRun(request)) {
            return respond(request, 200, current);
        }
        ObjectNode deleted = store.delete(type, target.namespace(), target.name(), revision);
        strategy.release(deleted);
        return respond(request, 200, deleted);
    }

    /**
     * Graceful deletion and finalizers: the object stays, with deletionTimestamp set, until its
     * grace period ends on the node or its finalizers are removed; a shorter grace period may
     * replace a longer one. A changed propagation policy rewrites the garbage collector's finalizers.
     * As upstream, 202 only answers a client that set orphanDependents=false.
     */
    private ApiResponse markDeleted(ApiRequest request, ResourceRequest target, ObjectNode current, long revision,
            long grace, boolean finalizersChanged, DeleteOptions options) {
        ResourceType type = target.type();
        ObjectMetadata meta = ObjectMetadata.of(current);
        JsonNode previousGrace = meta.metadata().get("deletionGracePeriodSeconds");
        boolean shorter = previousGrace != null && grace < previousGrace.asLong();
        if (meta.deletionTimestamp() == null || shorter || finalizersChanged) {
            if (meta.deletionTimestamp() == null || shorter) {
                meta.set("deletionTimestamp", java.time.Instant.now().plusSeconds(grace)
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
                meta.set("deletionGracePeriodSeconds", grace);
                strategies.of(type).prepareForDelete(current);
            }
            if (!isDryRun(request)) {
                current = store.update(type, target.namespace(), target.name(), current, revision);
            }
        }
        return respond(request, Boolean.FALSE.equals(options.orphanDependents()) ? 202 : 200, current);
    }

    private ApiResponse deleteCollection(ApiRequest request, ResourceRequest target) {
        ResourceType type = target.type();
        requireVerb(type, "deletecollection", "DELETE");
        ListOptions options = ListOptions.from(request);
        DeleteOptions deleteOptions = DeleteOptions.from(request);
        Predicate<ObjectNode> filter = filter(type, options);
        ListResult all = store.list(type, target.namespace(), 0, 0, null);
        ArrayNode deleted = Json.mapper().createArrayNode();
        for (StoredObject stored : all.items()) {
            ObjectNode object = ResourceStore.decode(stored);
            if (!filter.test(object)) {
                continue;
            }
            ObjectMetadata meta = ObjectMetadata.of(object);
            KindStrategy strategy = strategies.of(type);
            try {
                admission.validate(new AdmissionAttributes(AdmissionOperation.DELETE, type, meta.namespace(), null,
                        null, object, request.user(), isDryRun(request)));
                long grace = strategy.gracePeriodSeconds(object, deleteOptions.gracePeriodSeconds());
                boolean finalizersChanged = DeletionFinalizers.apply(object, deleteOptions,
                        strategy.defaultPropagationPolicy(object));
                if (grace > 0 || meta.hasFinalizers() || strategy.deletionHeld(object)) {
                    markDeleted(request, new ResourceRequest(type, meta.namespace(), meta.name(), null), object,
                            stored.modRevision(), grace, finalizersChanged, deleteOptions);
                } else if (!isDryRun(request)) {
                    strategy.release(store.delete(type, meta.namespace(), meta.name(), stored.modRevision()));
                }
                deleted.add(object);
            } catch (ApiError e) {
                if (e.code() != 404 && e.code() != 409) {
                    throw e;
                }
            }
        }
        ObjectNode list = Json.mapper().createObjectNode();
        list.put("kind", type.listKind());
        list.put("apiVersion", type.apiVersion());
        list.putObject("metadata").put("resourceVersion", Long.toString(all.revision()));
        list.set("items", deleted);
        return respond(request, 200, list);
    }

    private static List<String> withAdmissionWarnings(List<String> warnings, AdmissionAttributes attributes) {
        if (attributes.warnings().isEmpty()) {
            return warnings;
        }
        List<String> all = new ArrayList<>(warnings);
        all.addAll(attributes.warnings());
        return all;
    }

    private static void validate(ResourceType type, ObjectNode object, List<FieldError> kindErrors) {
        List<FieldError> errors = new ArrayList<>(ObjectPreparation.validateMetadata(type, object));
        errors.addAll(kindErrors);
        if (!errors.isEmpty()) {
            String name = ObjectMetadata.of(object).name();
            throw ApiError.invalid(type.group(), type.kind(), name == null ? "" : name, errors);
        }
    }

    private static final Predicate<ObjectNode> ALWAYS = o -> true;

    private static Predicate<ObjectNode> filter(ResourceType type, ListOptions options) {
        if (options.labels().isEmpty() && options.fields().isEmpty()) {
            return ALWAYS;
        }
        try {
            Optional<java.util.Set<String>> declared = SelectableFields.declared(type);
            if (declared.isPresent()) {
                java.util.Set<String> supported = new java.util.HashSet<>(declared.get());
                supported.addAll(dev.flotilla.api.selector.FieldSelector.METADATA_FIELDS);
                options.fields().validateFields(supported);
            } else {
                options.fields().validateMetadataFields();
            }
        } catch (dev.flotilla.api.selector.SelectorParseException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        return object -> {
            ObjectMetadata meta = ObjectMetadata.of(object);
            return options.labels().matches(ObjectPreparation.stringMap(meta.metadata().get("labels")))
                    && options.fields().matches(field -> SelectableFields.value(object, field));
        };
    }

    private static void requireVerb(ResourceType type, String verb, String method) {
        if (!type.supports(verb)) {
            throw ApiError.methodNotAllowed(method);
        }
    }

}
