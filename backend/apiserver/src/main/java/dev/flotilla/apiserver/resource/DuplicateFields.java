package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.apiserver.apply.FieldManager;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.protobuf.KubernetesProtobuf;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fields a request body names twice in one object ({@code metadata.name}, {@code spec.containers[0].image}),
 * in the order they appear. Decoding keeps the last value, as upstream's JSON decoder does;
 * {@code fieldValidation} then reports these like unknown fields (Strict refuses, Warn warns).
 * Only bodies that are the object itself count: a create, an update or an apply, not a patch.
 */
final class DuplicateFields {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonFactory YAML = new YAMLFactory();

    private DuplicateFields() {
    }

    static List<String> in(ApiRequest request) {
        byte[] body = request.body();
        String contentType = request.headers().get("Content-Type");
        if (body == null || body.length == 0 || KubernetesProtobuf.isProtobuf(contentType)
                || (request.method() == HttpMethod.PATCH && !FieldManager.isApply(request))) {
            return List.of();
        }
        boolean yaml = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("yaml");
        return find(body, yaml ? YAML : JSON);
    }

    /** A body that does not parse has no duplicates to report: the decoder has already said why. */
    static List<String> find(byte[] body, JsonFactory factory) {
        List<String> duplicates = new ArrayList<>();
        Deque<Frame> frames = new ArrayDeque<>();
        try (JsonParser parser = factory.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_OBJECT -> frames.push(new Frame(pathOfValue(frames), new HashSet<>()));
                    case START_ARRAY -> frames.push(new Frame(pathOfValue(frames), null));
                    case END_OBJECT, END_ARRAY -> {
                        frames.pop();
                        valueDone(frames);
                    }
                    case FIELD_NAME -> {
                        Frame frame = frames.peek();
                        frame.field = parser.currentName();
                        if (!frame.names.add(frame.field)) {
                            duplicates.add(join(frame.path, frame.field));
                        }
                    }
                    default -> valueDone(frames);
                }
            }
        } catch (IOException e) {
            return duplicates;
        }
        return duplicates;
    }

    private static String pathOfValue(Deque<Frame> frames) {
        Frame parent = frames.peek();
        if (parent == null) {
            return "";
        }
        return parent.names == null ? parent.path + "[" + parent.index + "]" : join(parent.path, parent.field);
    }

    private static void valueDone(Deque<Frame> frames) {
        Frame parent = frames.peek();
        if (parent != null && parent.names == null) {
            parent.index++;
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** An object (with the names seen so far) or an array (names null, with the next index). */
    private static final class Frame {
        final String path;
        final Set<String> names;
        String field;
        int index;

        Frame(String path, Set<String> names) {
            this.path = path;
            this.names = names;
        }
    }
}
