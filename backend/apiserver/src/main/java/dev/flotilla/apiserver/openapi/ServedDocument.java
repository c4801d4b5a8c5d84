package dev.flotilla.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A document ready to send: its JSON bytes and their content hash. The hash is the ETag and the
 * {@code hash} query parameter of the group-version URLs the {@code /openapi/v3} root lists, so a
 * client may cache a document for as long as the root keeps pointing at the same hash.
 */
record ServedDocument(byte[] body, String hash) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static ServedDocument of(JsonNode document) {
        try {
            byte[] body = MAPPER.writeValueAsBytes(document);
            return new ServedDocument(body, sha512(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an OpenAPI document", e);
        }
    }

    /** The ETag header value: the hash in double quotes, as HTTP requires. */
    String etag() {
        return "\"" + hash + "\"";
    }

    private static String sha512(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(body)).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from this JVM", e);
        }
    }
}
