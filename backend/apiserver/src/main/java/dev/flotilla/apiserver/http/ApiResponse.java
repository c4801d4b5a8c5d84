package dev.flotilla.apiserver.http;

import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an endpoint answers: status code, content type, body and any extra headers; or a streamed
 * body; or a {@link ConnectionTakeover} that answers on the connection itself (proxied requests).
 */
public record ApiResponse(int code, String contentType, byte[] body, Map<String, String> headers,
        StreamingBody stream, ConnectionTakeover takeover) {

    public ApiResponse(int code, String contentType, byte[] body, Map<String, String> headers) {
        this(code, contentType, body, headers, null, null);
    }

    public ApiResponse(int code, String contentType, byte[] body, Map<String, String> headers, StreamingBody stream) {
        this(code, contentType, body, headers, stream, null);
    }

    /** An answer the endpoint writes itself on the client connection, such as a proxied backend's response. */
    public static ApiResponse takeover(ConnectionTakeover takeover) {
        return new ApiResponse(0, "", new byte[0], Map.of(), null, takeover);
    }

    public boolean takesOver() {
        return takeover != null;
    }

    /** A chunked response whose body {@code stream} writes over time (watches). */
    public static ApiResponse streaming(int code, String contentType, StreamingBody stream) {
        return new ApiResponse(code, contentType, new byte[0], Map.of(), stream);
    }

    public boolean isStreaming() {
        return stream != null;
    }

    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public static ApiResponse json(int code, Object value) {
        return new ApiResponse(code, JSON, Json.toBytes(value), Map.of());
    }

    public static ApiResponse text(int code, String text) {
        return new ApiResponse(code, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static ApiResponse of(ApiError error) {
        return json(error.code(), error.status());
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(code, contentType, body, Map.copyOf(all), stream, takeover);
    }
}
