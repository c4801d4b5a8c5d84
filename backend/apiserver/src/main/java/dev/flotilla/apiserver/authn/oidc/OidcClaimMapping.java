package dev.flotilla.apiserver.authn.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.token.InvalidTokenException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a verified ID token's claims into a user, as upstream's OIDC authenticator: the username
 * claim with its prefix (by default the issuer URL and {@code #}, except for {@code email}, which
 * needs {@code email_verified} to be true when present), the groups claim (a string or a list) with
 * its prefix, and the required claims.
 */
final class OidcClaimMapping {

    private final String usernameClaim;
    private final String usernamePrefix;
    private final String groupsClaim;
    private final String groupsPrefix;
    private final Map<String, String> requiredClaims;

    OidcClaimMapping(OidcProperties properties) {
        this.usernameClaim = properties.getUsernameClaim();
        this.usernamePrefix = usernamePrefix(properties);
        this.groupsClaim = properties.getGroupsClaim() == null ? "" : properties.getGroupsClaim();
        this.groupsPrefix = properties.getGroupsPrefix() == null ? "" : properties.getGroupsPrefix();
        this.requiredClaims = requiredClaims(properties.getRequiredClaims());
    }

    private static String usernamePrefix(OidcProperties properties) {
        String prefix = properties.getUsernamePrefix();
        if (prefix == null) {
            return "email".equals(properties.getUsernameClaim()) ? "" : properties.getIssuerUrl() + "#";
        }
        return "-".equals(prefix) ? "" : prefix;
    }

    private static Map<String, String> requiredClaims(List<String> pairs) {
        Map<String, String> required = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("oidc required claim \"" + pair + "\" is not key=value");
            }
            required.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return required;
    }

    UserInfo userOf(JsonNode claims) throws InvalidTokenException {
        JsonNode username = claims.get(usernameClaim);
        if (username == null || !username.isTextual() || username.asText().isEmpty()) {
            throw new InvalidTokenException("oidc: parse username claims \"" + usernameClaim + "\": claim not present");
        }
        if ("email".equals(usernameClaim) && claims.has("email_verified")) {
            JsonNode verified = claims.get("email_verified");
            if (!verified.isBoolean()) {
                throw new InvalidTokenException("oidc: parse 'email_verified' claim: not a boolean");
            }
            if (!verified.asBoolean()) {
                throw new InvalidTokenException("oidc: email not verified");
            }
        }
        for (Map.Entry<String, String> required : requiredClaims.entrySet()) {
            JsonNode value = claims.get(required.getKey());
            if (value == null) {
                throw new InvalidTokenException("oidc: required claim " + required.getKey() + " not present in ID token");
            }
            if (!value.isTextual() || !value.asText().equals(required.getValue())) {
                throw new InvalidTokenException("oidc: required claim " + required.getKey()
                        + " value does not match. Got = " + value + ", want = " + required.getValue());
            }
        }
        List<String> groups = new ArrayList<>();
        for (String group : groupsOf(claims)) {
            groups.add(groupsPrefix + group);
        }
        groups.add(UserInfo.AUTHENTICATED_GROUP);
        return new UserInfo(usernamePrefix + username.asText(), groups);
    }

    private List<String> groupsOf(JsonNode claims) throws InvalidTokenException {
        JsonNode value = groupsClaim.isEmpty() ? null : claims.get(groupsClaim);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        List<String> groups = new ArrayList<>();
        if (value.isArray()) {
            for (JsonNode group : value) {
                if (!group.isTextual()) {
                    throw new InvalidTokenException("oidc: parse groups claim \"" + groupsClaim + "\": not a string list");
                }
                groups.add(group.asText());
            }
            return groups;
        }
        throw new InvalidTokenException("oidc: parse groups claim \"" + groupsClaim + "\": not a string or a list");
    }
}
