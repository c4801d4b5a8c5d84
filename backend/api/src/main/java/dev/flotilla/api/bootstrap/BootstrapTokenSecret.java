package dev.flotilla.api.bootstrap;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@code bootstrap.kubernetes.io/token} Secret says (its data decoded): the token, its optional
 * RFC 3339 {@code expiration}, which usages it is allowed ({@code usage-bootstrap-authentication},
 * {@code usage-bootstrap-signing}) and the extra groups its user is in ({@code auth-extra-groups}, each
 * of the form {@code system:bootstrappers:…}). Read and written the way upstream's bootstrap token
 * helpers do: a usage is on only when its value is exactly {@code "true"}, and an expiration that does
 * not parse makes the token unusable.
 */
public record BootstrapTokenSecret(BootstrapToken token, String expiration, boolean authentication,
        boolean signing, List<String> extraGroups, String description) {

    public static final String TYPE = "bootstrap.kubernetes.io/token";
    public static final String TOKEN_ID = "token-id";
    public static final String TOKEN_SECRET = "token-secret";
    public static final String EXPIRATION = "expiration";
    public static final String DESCRIPTION = "description";
    public static final String EXTRA_GROUPS = "auth-extra-groups";
    public static final String USAGE_AUTHENTICATION = "usage-bootstrap-authentication";
    public static final String USAGE_SIGNING = "usage-bootstrap-signing";

    public BootstrapTokenSecret {
        extraGroups = List.copyOf(extraGroups);
        expiration = expiration == null ? "" : expiration;
        description = description == null ? "" : description;
    }

    /**
     * Reads a Secret's {@code type}, name and base64 {@code data}; empty when it is not a well-formed
     * bootstrap token Secret (wrong type, name not matching {@code token-id}, malformed token).
     */
    public static Optional<BootstrapTokenSecret> of(String type, String name, Map<String, String> base64Data) {
        if (!TYPE.equals(type) || base64Data == null) {
            return Optional.empty();
        }
        Map<String, String> data = new LinkedHashMap<>();
        try {
            base64Data.forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v == null ? "" : v),
                    StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String id = data.getOrDefault(TOKEN_ID, "");
        if (!BootstrapToken.idOfSecretName(name).map(id::equals).orElse(false)) {
            return Optional.empty();
        }
        Optional<BootstrapToken> token = BootstrapToken.parse(id + "." + data.getOrDefault(TOKEN_SECRET, ""));
        if (token.isEmpty()) {
            return Optional.empty();
        }
        List<String> groups = new ArrayList<>();
        for (String group : data.getOrDefault(EXTRA_GROUPS, "").split(",")) {
            if (!group.isBlank()) {
                groups.add(group.trim());
            }
        }
        return Optional.of(new BootstrapTokenSecret(token.get(), data.get(EXPIRATION),
                "true".equals(data.get(USAGE_AUTHENTICATION)), "true".equals(data.get(USAGE_SIGNING)), groups,
                data.get(DESCRIPTION)));
    }

    /** Expired, or carrying an expiration that does not parse (treated as expired, as upstream). */
    public boolean expired(Instant now) {
        if (expiration.isEmpty()) {
            return false;
        }
        return expiresAt().map(at -> !now.isBefore(at)).orElse(true);
    }

    public Optional<Instant> expiresAt() {
        if (expiration.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(expiration).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Extra groups are only allowed under {@code system:bootstrappers:}, as upstream validates them. */
    public boolean extraGroupsValid() {
        return extraGroups.stream().allMatch(g -> g.matches("system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]"));
    }

    /** The Secret's {@code data} (base64 values) for this token. */
    public Map<String, String> data() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(TOKEN_ID, token.id());
        data.put(TOKEN_SECRET, token.secret());
        if (!expiration.isEmpty()) {
            data.put(EXPIRATION, expiration);
        }
        if (!description.isEmpty()) {
            data.put(DESCRIPTION, description);
        }
        if (authentication) {
            data.put(USAGE_AUTHENTICATION, "true");
        }
        if (signing) {
            data.put(USAGE_SIGNING, "true");
        }
        if (!extraGroups.isEmpty()) {
            data.put(EXTRA_GROUPS, String.join(",", extraGroups));
        }
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return encoded;
    }
}
