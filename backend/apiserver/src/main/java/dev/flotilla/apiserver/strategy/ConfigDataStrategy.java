package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.FieldError;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ConfigMaps and Secrets: key names, the 1 MiB size limit, {@code immutable} objects whose data can
 * no longer change, and for Secrets the {@code Opaque} default, {@code stringData} folded into
 * {@code data}, the keys each well-known secret type requires, and a type that never changes.
 */
@Singleton
public class ConfigDataStrategy implements KindStrategy {

    static final int MAX_SIZE = 1024 * 1024;
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final String KEY_MESSAGE = "a valid config key must consist of alphanumeric characters, '-', '_' "
            + "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    private static final String IMMUTABLE_SET = "field is immutable when `immutable` is set";
    private static final Map<String, List<String>> REQUIRED_KEYS = Map.of(
            "kubernetes.io/dockercfg", List.of(".dockercfg"),
            "kubernetes.io/dockerconfigjson", List.of(".dockerconfigjson"),
            "kubernetes.io/ssh-auth", List.of("ssh-privatekey"),
            "kubernetes.io/tls", List.of("tls.crt", "tls.key"));

    @Override
    public Set<String> kinds() {
        return Set.of("/ConfigMap", "/Secret");
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        if (isSecret(object)) {
            Fields.defaultText(object, "type", "Opaque");
            foldStringData(object);
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        if (isSecret(updated)) {
            if (!updated.hasNonNull("type")) {
                updated.set("type", old.path("type").deepCopy());
            }
            foldStringData(updated);
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode object) {
        List<FieldError> errors = new ArrayList<>();
        boolean secret = isSecret(object);
        long size = keys(object, "data", secret, errors);
        if (!secret) {
            size += keys(object, "binaryData", true, errors);
            object.path("data").fieldNames().forEachRemaining(key -> {
                if (object.path("binaryData").has(key)) {
                    errors.add(FieldError.invalid("data[" + key + "]", key, "duplicate of key present in binaryData"));
                }
            });
        }
        if (size > MAX_SIZE) {
            errors.add(new FieldError(secret ? "data" : "", FieldError.Type.TOO_LONG, null,
                    "may not be more than " + MAX_SIZE + " bytes"));
        }
        if (secret) {
            errors.addAll(secretTypeRules(object));
        }
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(updated));
        if (isSecret(updated) && !updated.path("type").equals(old.path("type"))) {
            errors.add(FieldError.immutable("type", updated.path("type").asText()));
        }
        if (old.path("immutable").asBoolean(false)) {
            if (!updated.path("immutable").asBoolean(false)) {
                errors.add(FieldError.forbidden("immutable", IMMUTABLE_SET));
            }
            for (String field : List.of("data", "binaryData")) {
                if (!empty(updated.path(field)).equals(empty(old.path(field)))) {
                    errors.add(FieldError.forbidden(field, IMMUTABLE_SET));
                }
            }
        }
        return errors;
    }

    /** Checks the keys of one map and returns its size in bytes (base64 values counted decoded). */
    private static long keys(ObjectNode object, String field, boolean base64, List<FieldError> errors) {
        long size = 0;
        Iterator<Map.Entry<String, JsonNode>> entries = object.path(field).fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String key = entry.getKey();
            String problem = keyProblem(key);
            if (problem != null) {
                errors.add(FieldError.invalid(field + "[" + key + "]", key, problem));
            }
            int length = entry.getValue().asText("").length();
            size += base64 ? length / 4 * 3 : length;
        }
        return size;
    }

    /** Upstream's IsConfigMapKey, which Secret keys share. */
    private static String keyProblem(String key) {
        if (key.length() > 253) {
            return "must be no more than 253 characters";
        }
        if (!KEY.matcher(key).matches()) {
            return KEY_MESSAGE;
        }
        if (key.equals(".")) {
            return "must not be '.'";
        }
        if (key.equals("..")) {
            return "must not be '..'";
        }
        if (key.startsWith("..")) {
            return "must not start with '..'";
        }
        return null;
    }

    private static List<FieldError> secretTypeRules(ObjectNode secret) {
        List<FieldError> errors = new ArrayList<>();
        String type = secret.path("type").asText("Opaque");
        JsonNode data = secret.path("data");
        if (type.equals("kubernetes.io/service-account-token")
                && secret.path("metadata").path("annotations").path("kubernetes.io/service-account.name")
                .asText("").isEmpty()) {
            errors.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", ""));
        }
        if (type.equals("kubernetes.io/basic-auth") && !data.has("username") && !data.has("password")) {
            errors.add(FieldError.required("data[username]", ""));
        }
        for (String key : REQUIRED_KEYS.getOrDefault(type, List.of())) {
            if (!data.has(key)) {
                errors.add(FieldError.required("data[" + key + "]", ""));
            }
        }
        String jsonKey = switch (type) {
            case "kubernetes.io/dockercfg" -> ".dockercfg";
            case "kubernetes.io/dockerconfigjson" -> ".dockerconfigjson";
            default -> null;
        };
        if (jsonKey != null && data.has(jsonKey) && !isJson(data.path(jsonKey).asText())) {
            errors.add(FieldError.invalid("data[" + jsonKey + "]", "<secret contents redacted>",
                    "must be a valid JSON document"));
        }
        return errors;
    }

    private static boolean isJson(String base64) {
        try {
            Json.mapper().readTree(Base64.getDecoder().decode(base64));
            return true;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return false;
        }
    }

    /** stringData is write-only: its entries replace those of data, base64-encoded, and it is dropped. */
    private static void foldStringData(ObjectNode secret) {
        JsonNode stringData = secret.remove("stringData");
        if (stringData == null || !stringData.isObject() || stringData.isEmpty()) {
            return;
        }
        ObjectNode data = secret.with("data");
        stringData.fields().forEachRemaining(entry -> data.put(entry.getKey(),
                Base64.getEncoder().encodeToString(entry.getValue().asText("").getBytes(StandardCharsets.UTF_8))));
    }

    private static JsonNode empty(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? Json.mapper().createObjectNode() : node;
    }

    private static boolean isSecret(ObjectNode object) {
        return object.path("kind").asText().equals("Secret");
    }
}
