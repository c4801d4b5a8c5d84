package dev.flotilla.node.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Registry credentials from image pull secrets, matched to an image as upstream's credential keyring
 * does: secrets of type {@code kubernetes.io/dockerconfigjson} ({@code .dockerconfigjson},
 * {@code {"auths": {...}}}) and {@code kubernetes.io/dockercfg} ({@code .dockercfg}); each key is a
 * registry host with an optional path ({@code https://}, {@code /v1/} and {@code /v2/} dropped);
 * host parts may be globs ({@code *.example.com}), the port must be the same and the key's path a
 * prefix of the image's. The most specific keys come first; an image on Docker Hub also gets the
 * credentials of {@code index.docker.io} when nothing else matched.
 */
public final class DockerKeyring {

    public static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
    public static final String DOCKER_CFG = "kubernetes.io/dockercfg";
    private static final String DEFAULT_REGISTRY_HOST = "index.docker.io";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One registry login; {@code auth} is the entry's base64 {@code user:password} as written, if it had one. */
    public record Credential(String username, String password, String auth, String identityToken) {
    }

    private record Location(String host, String port, String path) {
    }

    /** Credentials by key, most specific key first (upstream sorts its index in reverse). */
    private final Map<String, List<Credential>> byKey;

    private DockerKeyring(Map<String, List<Credential>> byKey) {
        this.byKey = byKey;
    }

    /**
     * The keyring of {@code secrets}; those of other types, or without their key, are ignored as
     * upstream does. A payload that is not a Docker configuration fails with the reason.
     */
    public static DockerKeyring of(List<Secret> secrets) {
        Map<String, List<Credential>> byKey = new java.util.TreeMap<>(Comparator.reverseOrder());
        for (Secret secret : secrets) {
            JsonNode entries = entries(secret);
            if (entries == null) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                byKey.computeIfAbsent(key(entry.getKey()), k -> new ArrayList<>()).add(credential(secret, entry.getValue()));
            }
        }
        return new DockerKeyring(new LinkedHashMap<>(byKey));
    }

    /** The credentials to try for {@code repository} (registry host and path, no tag), in order; empty: anonymous. */
    public List<Credential> lookup(String repository) {
        Location target = location(repository);
        List<Credential> found = new ArrayList<>();
        byKey.forEach((key, credentials) -> {
            if (matches(location(key), target)) {
                found.addAll(credentials);
            }
        });
        if (found.isEmpty() && onDockerHub(repository) && byKey.containsKey(DEFAULT_REGISTRY_HOST)) {
            found.addAll(byKey.get(DEFAULT_REGISTRY_HOST));
        }
        return found;
    }

    private static JsonNode entries(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        boolean configJson = DOCKER_CONFIG_JSON.equals(secret.getType());
        String payloadKey = configJson ? ".dockerconfigjson" : DOCKER_CFG.equals(secret.getType()) ? ".dockercfg" : null;
        String encoded = payloadKey == null ? null : data.get(payloadKey);
        if (encoded == null || encoded.isEmpty()) {
            return null;
        }
        try {
            JsonNode payload = JSON.readTree(Base64.getDecoder().decode(encoded));
            JsonNode entries = configJson ? payload.path("auths") : payload;
            if (!entries.isObject() && !entries.isMissingNode()) {
                throw invalid(secret, payloadKey + " has no object of registries");
            }
            return entries.isMissingNode() ? null : entries;
        } catch (IOException | IllegalArgumentException e) {
            throw invalid(secret, payloadKey + " is not a Docker configuration: " + e.getMessage());
        }
    }

    private static Credential credential(Secret secret, JsonNode entry) {
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            // As upstream: the auth field, when present, is the login.
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalid(secret, "unable to parse auth field, must be formatted as base64(username:password)");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw invalid(secret, "unable to parse auth field, must be formatted as base64(username:password)");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        return new Credential(username, password, auth, entry.path("identitytoken").asText(""));
    }

    private static IllegalArgumentException invalid(Secret secret, String why) {
        return new IllegalArgumentException("image pull secret " + secret.getMetadata().getNamespace() + "/"
                + secret.getMetadata().getName() + ": " + why);
    }

    /** A configuration key as upstream stores it: no scheme, {@code /v1/} or {@code /v2/} meaning the host alone. */
    static String key(String location) {
        String value = location.startsWith("https://") || location.startsWith("http://") ? location : "https://" + location;
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return location;
        }
        String host = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.startsWith("/v2/") || path.startsWith("/v1/")) {
            path = path.substring(3);
        }
        return path.isEmpty() || path.equals("/") ? host : host + path;
    }

    private static Location location(String schemeless) {
        int slash = schemeless.indexOf('/');
        String authority = slash < 0 ? schemeless : schemeless.substring(0, slash);
        String path = slash < 0 ? "" : schemeless.substring(slash);
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? new Location(authority, "", path)
                : new Location(authority.substring(0, colon), authority.substring(colon + 1), path);
    }

    private static boolean matches(Location glob, Location target) {
        if (!glob.port().equals(target.port()) || !target.path().startsWith(glob.path())) {
            return false;
        }
        String[] globParts = glob.host().split("\\.", -1);
        String[] targetParts = target.host().split("\\.", -1);
        if (globParts.length != targetParts.length) {
            return false;
        }
        for (int i = 0; i < globParts.length; i++) {
            if (!globPart(globParts[i]).matcher(targetParts[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Pattern globPart(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    /** Docker's rule: no host part (no '.' or ':' and not localhost) or docker.io / index.docker.io. */
    private static boolean onDockerHub(String repository) {
        int slash = repository.indexOf('/');
        if (slash < 0) {
            return !repository.isEmpty();
        }
        String first = repository.substring(0, slash);
        if (first.isEmpty()) {
            return false;
        }
        return first.equals(ImageReference.DOCKER_HUB) || first.equals(DEFAULT_REGISTRY_HOST)
                || (!first.contains(".") && !first.contains(":") && !first.equals("localhost"));
    }
}
