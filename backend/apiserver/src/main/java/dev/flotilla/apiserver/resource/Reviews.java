package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.rbac.AccessRequest;
import dev.flotilla.api.rbac.Decision;
import dev.flotilla.api.rbac.RbacAuthorizer;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers the review kinds (nothing is stored): SelfSubjectReview tells callers who they are; the
 * access reviews ask the same RBAC authorizer that guards requests (SubjectAccessReview for anyone,
 * SelfSubjectAccessReview for the caller, LocalSubjectAccessReview within the URL's namespace), and
 * SelfSubjectRulesReview lists the caller's rules in a namespace; TokenReview authenticates no token yet.
 */
@Singleton
class Reviews {

    private static final String AUTHORIZATION = "authorization.k8s.io";

    private final RbacAuthorizer authorizer;

    Reviews(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    ObjectNode answer(String kind, ObjectNode review, UserInfo caller, String namespace) {
        JsonNode spec = review.path("spec");
        ObjectNode status = review.putObject("status");
        switch (kind) {
            case "SelfSubjectReview" -> {
                ObjectNode user = status.putObject("userInfo");
                user.put("username", caller.name());
                ArrayNode groups = user.putArray("groups");
                caller.groups().forEach(groups::add);
            }
            case "SubjectAccessReview" -> decide(status, subject(spec, kind), spec, kind, null);
            case "SelfSubjectAccessReview" -> decide(status, caller, spec, kind, null);
            case "LocalSubjectAccessReview" -> decide(status, subject(spec, kind), spec, kind, namespace);
            case "SelfSubjectRulesReview" -> rules(status, caller, spec.path("namespace").asText(""));
            case "TokenReview" -> {
                status.put("authenticated", false);
                status.put("error", "token authentication is not configured on this server yet");
            }
            default -> {
            }
        }
        return review;
    }

    private void decide(ObjectNode status, UserInfo user, JsonNode spec, String kind, String urlNamespace) {
        JsonNode resource = spec.get("resourceAttributes");
        JsonNode nonResource = spec.get("nonResourceAttributes");
        if ((resource == null || resource.isNull()) == (nonResource == null || nonResource.isNull())) {
            throw ApiError.invalid(AUTHORIZATION, kind, "", List.of(FieldError.invalid("spec.resourceAttributes",
                    resource == null ? "null" : resource.toString(),
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified")));
        }
        AccessRequest request;
        if (resource != null && !resource.isNull()) {
            String namespace = resource.path("namespace").asText("");
            if (urlNamespace != null && !urlNamespace.equals(namespace)) {
                throw ApiError.badRequest("spec.resourceAttributes.namespace must match namespace: " + urlNamespace);
            }
            request = AccessRequest.resource(user, resource.path("verb").asText(""), resource.path("group").asText(""),
                    resource.path("resource").asText(""), resource.path("subresource").asText(""), namespace,
                    resource.path("name").asText(""));
        } else {
            request = AccessRequest.nonResource(user, nonResource.path("verb").asText(""),
                    nonResource.path("path").asText(""));
        }
        Decision decision = authorizer.authorize(request);
        status.put("allowed", decision.allowed());
        if (!decision.reason().isEmpty()) {
            status.put("reason", decision.reason());
        }
    }

    private static UserInfo subject(JsonNode spec, String kind) {
        String user = spec.path("user").asText("");
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        if (user.isEmpty() && groups.isEmpty()) {
            throw ApiError.invalid(AUTHORIZATION, kind, "", List.of(FieldError.invalid("spec.user", "",
                    "at least one of user or group must be specified")));
        }
        return new UserInfo(user, groups);
    }

    private void rules(ObjectNode status, UserInfo caller, String namespace) {
        ArrayNode resourceRules = status.putArray("resourceRules");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (PolicyRule rule : authorizer.effectiveRules(caller, namespace)) {
            if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
                ObjectNode out = nonResourceRules.addObject();
                strings(out, "verbs", rule.getVerbs());
                strings(out, "nonResourceURLs", rule.getNonResourceURLs());
            }
            if (rule.getResources() != null && !rule.getResources().isEmpty()) {
                ObjectNode out = resourceRules.addObject();
                strings(out, "verbs", rule.getVerbs());
                strings(out, "apiGroups", rule.getApiGroups());
                strings(out, "resources", rule.getResources());
                if (rule.getResourceNames() != null && !rule.getResourceNames().isEmpty()) {
                    strings(out, "resourceNames", rule.getResourceNames());
                }
            }
        }
        status.put("incomplete", false);
    }

    private static void strings(ObjectNode out, String field, List<String> values) {
        ArrayNode array = out.putArray(field);
        if (values != null) {
            values.forEach(array::add);
        }
    }
}
