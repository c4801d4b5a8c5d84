package dev.flotilla.scheduler.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Decodes parts of the file into their types as upstream's strict decoder does: an unknown field
 * is an error naming it ({@code strict decoding error: unknown field "profiles[0].plugin"}).
 */
final class StrictDecoder {

    static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** A decoding problem, its message already worded for users. */
    static final class DecodingException extends Exception {
        DecodingException(String message) {
            super(message);
        }
    }

    private StrictDecoder() {
    }

    /** {@code node} as {@code type}; {@code at} is the node's own field path, prefixed to the paths in errors. */
    static <T> T decode(JsonNode node, Class<T> type, String at) throws DecodingException {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw new DecodingException("strict decoding error: unknown field \"" + path(at, e) + "\"");
        } catch (JsonMappingException e) {
            throw new DecodingException("decoding \"" + path(at, e) + "\": " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DecodingException("decoding \"" + at + "\": " + e.getOriginalMessage());
        }
    }

    private static String path(String at, JsonMappingException e) {
        StringBuilder path = new StringBuilder(at);
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
