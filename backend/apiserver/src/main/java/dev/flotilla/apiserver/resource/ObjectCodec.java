package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.protobuf.KubernetesProtobuf;
import dev.flotilla.protobuf.ProtobufDecodeException;
import java.io.IOException;
import java.util.Locale;

/**
 * Decodes request bodies (JSON, YAML, or the Kubernetes protobuf that kubectl's typed commands send)
 * into object trees and encodes responses in the format the
 * client asked for. Anything that is not one JSON/YAML object is a 400 with the parser's reason.
 */
public final class ObjectCodec {

    public static final String JSON = "application/json";
    public static final String YAML = "application/yaml";

    private static final ObjectMapper YAML_MAPPER = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ObjectCodec() {
    }

    public static ObjectNode decode(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            throw ApiError.badRequest("the request body is empty: send the object as JSON or YAML");
        }
        if (KubernetesProtobuf.isProtobuf(contentType)) {
            try {
                return KubernetesProtobuf.decode(body);
            } catch (ProtobufDecodeException e) {
                throw ApiError.badRequest("the protobuf body of the request could not be decoded: " + e.getMessage());
            }
        }
        String type = contentType == null ? JSON : contentType.toLowerCase(Locale.ROOT);
        ObjectMapper mapper = type.contains("yaml") ? YAML_MAPPER : Json.mapper();
        if (!type.contains("json") && !type.contains("yaml") && !type.startsWith("*/*")) {
            throw ApiError.unsupportedMediaType(contentType);
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw ApiError.badRequest("the request body must be a single object, not "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT)));
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the body of the request could not be decoded: "
                    + e.getOriginalMessage().replaceAll("\\s+", " "));
        } catch (IOException e) {
            throw ApiError.badRequest("the body of the request could not be read: " + e.getMessage());
        }
    }

    /** YAML when the client asked only for YAML, otherwise JSON. */
    public static boolean wantsYaml(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).startsWith(YAML);
    }

    public static byte[] encode(Object value, boolean yaml) {
        if (!yaml) {
            return Json.toBytes(value);
        }
        try {
            return YAML_MAPPER.writeValueAsBytes(value instanceof JsonNode ? value : Json.mapper().valueToTree(value));
        } catch (JsonProcessingException e) {
            throw ApiError.internal("cannot encode the response as YAML");
        }
    }

    public static ObjectNode parseStored(byte[] stored) {
        try {
            return (ObjectNode) Json.mapper().readTree(stored);
        } catch (IOException | ClassCastException e) {
            throw ApiError.internal("a stored object could not be decoded");
        }
    }
}
