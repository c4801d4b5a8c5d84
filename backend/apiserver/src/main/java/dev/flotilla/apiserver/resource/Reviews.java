package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;

/**
 * Answers the review kinds (nothing is stored): SelfSubjectReview tells callers who they are;
 * access reviews allow everything for now, because authorization (RBAC) arrives with the identity
 * work, and the answer says so in its reason; TokenReview authenticates no token yet.
 */
final class Reviews {

    private static final String ALLOW_ALL = "no authorizer is configured yet: every authenticated request is allowed";

    private Reviews() {
    }

    static ObjectNode answer(String kind, ObjectNode review, UserInfo caller) {
        ObjectNode status = review.putObject("status");
        switch (kind) {
            case "SelfSubjectReview" -> {
                ObjectNode user = status.putObject("userInfo");
                user.put("username", caller.name());
                ArrayNode groups = user.putArray("groups");
                caller.groups().forEach(groups::add);
            }
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
            case "TokenReview" -> {
                status.put("authenticated", false);
                status.put("error", "token authentication is not configured on this server yet");
            }
            default -> {
            }
        }
        return review;
    }
}
