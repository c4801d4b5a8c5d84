package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.token.InvalidTokenException;
import dev.flotilla.apiserver.authn.BearerTokenAuthentication;
import dev.flotilla.apiserver.authn.TokenAuthentication;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers the review kinds (nothing is stored): SelfSubjectReview tells callers who they are;
 * TokenReview checks a token exactly as a request carrying it would be checked; access reviews
 * allow everything for now, because authorization (RBAC) arrives with the identity work, and the
 * answer says so in its reason.
 */
@Singleton
public class Reviews {

    private static final String ALLOW_ALL = "no authorizer is configured yet: every authenticated request is allowed";

    private final BearerTokenAuthentication tokens;

    public Reviews(BearerTokenAuthentication tokens) {
        this.tokens = tokens;
    }

    ObjectNode answer(String kind, ObjectNode review, UserInfo caller) {
        ObjectNode status = review.putObject("status");
        switch (kind) {
            case "SelfSubjectReview" -> writeUser(status.putObject("userInfo"), caller);
            case "SubjectAccessReview", "SelfSubjectAccessReview", "LocalSubjectAccessReview" -> {
                status.put("allowed", true);
                status.put("reason", ALLOW_ALL);
            }
            case "SelfSubjectRulesReview" -> {
                ObjectNode rule = status.putArray("resourceRules").addObject();
                rule.putArray("verbs").add("*");
                rule.putArray("apiGroups").add("*");
                rule.putArray("resources").add("*");
                ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
                nonResource.putArray("verbs").add("*");
                nonResource.putArray("nonResourceURLs").add("*");
                status.put("incomplete", false);
            }
            case "TokenReview" -> reviewToken(review, status);
            default -> {
            }
        }
        return review;
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
