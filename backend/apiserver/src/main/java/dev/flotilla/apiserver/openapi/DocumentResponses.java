package dev.flotilla.apiserver.openapi;

import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP details of serving a document, following upstream's handler: JSON only (a client that
 * accepts nothing but the protobuf encodings gets 406), an ETag with {@code If-None-Match} answered
 * by 304, and for a group-version URL carrying the current {@code hash} the headers that let clients
 * (kubectl's disk cache) keep it without asking again. A stale hash is redirected to the current URL.
 */
final class DocumentResponses {

    private static final String JSON = "application/json";

    private DocumentResponses() {
    }

    static void requireJson(ApiRequest request) {
        String accept = request.headers().get("Accept");
        if (accept == null || accept.isBlank()) {
            return;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (type.equals(JSON) || type.equals("application/*") || type.equals("*/*")) {
                return;
            }
        }
        throw ApiError.notAcceptable("only " + JSON + " is served for OpenAPI documents, not " + accept);
    }

    /** The document, or 304 when the client already holds this version of it. */
    static ApiResponse serve(ApiRequest request, ServedDocument document, boolean immutable) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", document.etag());
        headers.put("Vary", "Accept");
        if (immutable) {
            headers.put("Cache-Control", "public, immutable");
            headers.put("Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)
                    .plusYears(1)));
        }
        if (matches(request.headers().get("If-None-Match"), document.etag())) {
            return new ApiResponse(304, JSON, new byte[0], Map.copyOf(headers));
        }
        return new ApiResponse(200, JSON, document.body(), Map.copyOf(headers));
    }

    static ApiResponse redirect(String location) {
        return new ApiResponse(301, JSON, new byte[0], Map.of("Location", location));
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
