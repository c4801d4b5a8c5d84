package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.rbac.AccessRequest;
import dev.flotilla.api.rbac.Decision;
import dev.flotilla.api.rbac.RbacAuthorizer;
import dev.flotilla.apiserver.authz.RequestAuthorizer;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.api.token.InvalidTokenException;
import dev.flotilla.apiserver.authn.BearerTokenAuthentication;
import dev.flotilla.apiserver.authn.TokenAuthentication;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers the review kinds (nothing is stored): SelfSubjectReview tells callers who they are;
 * TokenReview checks a token exactly as a request carrying it would be checked; the access reviews
 * ask the same authorizers (Node, RBAC) that guard requests (SubjectAccessReview for anyone,
 * SelfSubjectAccessReview for the caller, LocalSubjectAccessReview within the URL's namespace), and
 * SelfSubjectRulesReview lists the caller's rules in a namespace.
 */
@Singleton
public class Reviews {

    private static final String AUTHORIZATION = "authorization.k8s.io";

    private final RequestAuthorizer decisions;
    private final RbacAuthorizer authorizer;
    private final BearerTokenAuthentication tokens;

    public Reviews(RequestAuthorizer decisions, RbacAuthorizer authorizer, BearerTokenAuthentication tokens) {
        this.decisions = decisions;
        this.authorizer = authorizer;
        this.tokens = tokens;
    }

    ObjectNode answer(String kind, ObjectNode review, UserInfo caller, String namespace) {
        JsonNode spec = review.path("spec");
        ObjectNode status = review.putObject("status");
        switch (kind) {
            case "SelfSubjectReview" -> writeUser(status.putObject("userInfo"), caller);
            case "SubjectAccessReview" -> decide(status, subject(spec, kind), spec, kind, null);
            case "SelfSubjectAccessReview" -> decide(status, caller, spec, kind, null);
            case "LocalSubjectAccessReview" -> decide(status, subject(spec, kind), spec, kind, namespace);
            case "SelfSubjectRulesReview" -> rules(status, caller, spec.path("namespace").asText(""));
            case "TokenReview" -> reviewToken(review, status);
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
        Decision decision = decisions.decide(request);
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

    private void reviewToken(ObjectNode review, ObjectNode status) {
        String token = review.path("spec").path("token").asText("");
        List<String> audiences = new ArrayList<>();
        review.path("spec").path("audiences").forEach(a -> audiences.add(a.asText()));
        status.putObject("user");
        try {
            TokenAuthentication result = tokens.review(token, audiences);
            status.put("authenticated", true);
            writeUser(status.putObject("user"), result.user());
            ArrayNode accepted = status.putArray("audiences");
            result.audiences().forEach(accepted::add);
        } catch (InvalidTokenException e) {
            status.put("authenticated", false);
            status.put("error", e.getMessage());
        }
    }

    private static void writeUser(ObjectNode out, UserInfo user) {
        out.put("username", user.name());
        if (!user.uid().isEmpty()) {
            out.put("uid", user.uid());
        }
        ArrayNode groups = out.putArray("groups");
        user.groups().forEach(groups::add);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = out.putObject("extra");
            for (Map.Entry<String, List<String>> entry : new TreeMap<>(user.extra()).entrySet()) {
                ArrayNode values = extra.putArray(entry.getKey());
                entry.getValue().forEach(values::add);
            }
        }
    }
}
