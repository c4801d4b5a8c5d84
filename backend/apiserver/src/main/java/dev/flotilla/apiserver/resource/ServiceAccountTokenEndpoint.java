package dev.flotilla.apiserver.resource;

import static dev.flotilla.apiserver.resource.Requests.respond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.api.token.BoundObject;
import dev.flotilla.api.token.ServiceAccountClaims;
import dev.flotilla.apiserver.authn.ServiceAccountIssuer;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code serviceaccounts/token}: TokenRequest (authentication.k8s.io/v1), how {@code kubectl create
 * token} and the kubelet get a signed, expiring token for a service account, optionally bound to a
 * pod, secret or node so that it dies with that object.
 */
@Singleton
public class ServiceAccountTokenEndpoint implements Subresource {

    private static final String GROUP = "authentication.k8s.io";
    private static final long DEFAULT_SECONDS = 3600;
    private static final long MIN_SECONDS = 600;
    private static final long MAX_SECONDS = 1L << 32;

    private final ResourceStore store;
    private final ResourceRegistry registry;
    private final ServiceAccountIssuer issuer;

    public ServiceAccountTokenEndpoint(ResourceStore store, ResourceRegistry registry, ServiceAccountIssuer issuer) {
        this.store = store;
        this.registry = registry;
        this.issuer = issuer;
    }

    @Override
    public String name() {
        return "token";
    }

    @Override
    public boolean serves(ResourceType type) {
        return Subresource.isCore(type, "serviceaccounts");
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        Requests.requireMethod(request, "POST");
        ObjectNode tokenRequest = ObjectCodec.decode(request.body(), request.headers().get("Content-Type"));
        String name = target.name();
        String namespace = target.namespace();
        ObjectNode metadata = tokenRequest.with("metadata");
        checkMatches(metadata, "name", name, "must match the service account name if specified");
        checkMatches(metadata, "namespace", namespace, "must match the service account namespace if specified");
        ObjectNode spec = tokenRequest.with("spec");
        long seconds = expirationSeconds(spec, name);
        ObjectNode account = store.require(target.type(), namespace, name);
        String accountUid = ObjectMetadata.of(account).uid();
        String askedUid = metadata.path("uid").asText("");
        if (!askedUid.isEmpty() && !askedUid.equals(accountUid)) {
            throw ApiError.conflict(GROUP, "TokenRequest", name, "the UID in the token request (" + askedUid
                    + ") does not match the UID of the service account (" + accountUid + ")");
        }
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        if (audiences.isEmpty()) {
            audiences.addAll(issuer.apiAudiences());
        }
        BoundObjects bound = boundObjects(spec.path("boundObjectRef"), name, namespace);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiry = now.plusSeconds(seconds);
        String token = issuer.signer().sign(new ServiceAccountClaims(issuer.issuer(), audiences, now, now, expiry,
                UUID.randomUUID().toString(), namespace, new BoundObject(name, accountUid), bound.pod(),
                bound.secret(), bound.node()));
        tokenRequest.put("apiVersion", GROUP + "/v1");
        tokenRequest.put("kind", "TokenRequest");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("creationTimestamp", now.toString());
        ArrayNode audienceArray = spec.putArray("audiences");
        audiences.forEach(audienceArray::add);
        spec.put("expirationSeconds", seconds);
        ObjectNode status = tokenRequest.putObject("status");
        status.put("token", token);
        status.put("expirationTimestamp", expiry.toString());
        return respond(request, 201, tokenRequest);
    }

    private static void checkMatches(ObjectNode metadata, String field, String expected, String detail) {
        String given = metadata.path(field).asText("");
        if (!given.isEmpty() && !given.equals(expected)) {
            throw ApiError.invalid(GROUP, "TokenRequest", expected, List.of(FieldError.invalid("metadata." + field,
                    given, detail)));
        }
    }

    private static long expirationSeconds(ObjectNode spec, String name) {
        JsonNode value = spec.path("expirationSeconds");
        long seconds = value.isMissingNode() || value.isNull() ? DEFAULT_SECONDS : value.asLong();
        List<FieldError> errors = new ArrayList<>();
        if (seconds < MIN_SECONDS) {
            errors.add(FieldError.invalid("spec.expirationSeconds", seconds,
                    "may not specify a duration less than 10 minutes"));
        }
        if (seconds > MAX_SECONDS) {
            errors.add(FieldError.invalid("spec.expirationSeconds", seconds,
                    "may not specify a duration larger than 2^32 seconds"));
        }
        if (!errors.isEmpty()) {
            throw ApiError.invalid(GROUP, "TokenRequest", "", errors);
        }
        return seconds;
    }

    private record BoundObjects(BoundObject pod, BoundObject secret, BoundObject node) {
    }

    /** The object named by boundObjectRef, which must exist (and match its uid, if one is given). */
    private BoundObjects boundObjects(JsonNode ref, String account, String namespace) {
        if (!ref.isObject()) {
            return new BoundObjects(null, null, null);
        }
        String apiVersion = ref.path("apiVersion").asText("");
        String kind = ref.path("kind").asText("");
        String refName = ref.path("name").asText("");
        String refUid = ref.path("uid").asText("");
        if (!apiVersion.equals("v1") || !List.of("Pod", "Secret", "Node").contains(kind)) {
            throw ApiError.badRequest("cannot bind token to object of type " + groupVersionKind(apiVersion, kind));
        }
        ResourceType type = registry.findByKind("v1", kind).orElseThrow();
        ObjectNode object = store.require(type, kind.equals("Node") ? null : namespace, refName);
        String uid = ObjectMetadata.of(object).uid();
        if (!refUid.isEmpty() && !refUid.equals(uid)) {
            throw ApiError.conflict("", kind, refName, "the UID in the bound object reference (" + refUid
                    + ") does not match the UID in record. The object might have been deleted and then recreated");
        }
        BoundObject bound = new BoundObject(refName, uid);
        return switch (kind) {
            case "Pod" -> {
                String podAccount = object.path("spec").path("serviceAccountName").asText("");
                if (!podAccount.equals(account)) {
                    throw ApiError.badRequest("cannot bind token for serviceaccount \"" + account
                            + "\" to pod running with different serviceaccount name.");
                }
                yield new BoundObjects(bound, null, nodeOf(object));
            }
            case "Secret" -> new BoundObjects(null, bound, null);
            default -> new BoundObjects(null, null, bound);
        };
    }

    /** A pod-bound token also names the pod's node, with the node's uid while it exists. */
    private BoundObject nodeOf(ObjectNode pod) {
        String node = pod.path("spec").path("nodeName").asText("");
        if (node.isEmpty()) {
            return null;
        }
        ResourceType nodes = registry.find("", "v1", "nodes").orElseThrow();
        String uid = store.get(nodes, null, node).map(n -> ObjectMetadata.of(n).uid()).orElse("");
        return new BoundObject(node, uid);
    }

    /** As Go prints a GroupVersionKind: {@code /v1, Kind=ConfigMap}. */
    private static String groupVersionKind(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        return group + "/" + version + ", Kind=" + kind;
    }
}
