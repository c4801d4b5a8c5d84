package dev.flotilla.apiserver.audit;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.RequestInfo;
import dev.flotilla.platform.audit.AuditEvent;
import dev.flotilla.protobuf.KubernetesProtobuf;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which requests the audit log records (every mutating one, whatever its answer, and every one
 * answered 401 or 403) and the event it records for one. A request keeps the Audit-ID its client
 * sent, as upstream does, when it is a plausible id; otherwise it gets a fresh UUID.
 */
public final class RequestAudit {

    /** The request and response header carrying the request's audit id. */
    public static final String HEADER = "Audit-Id";

    private static final Set<String> MUTATING = Set.of("create", "update", "patch", "delete", "deletecollection",
            "post", "put");
    private static final int MAX_CLIENT_ID_LENGTH = 128;
    private static final JsonFactory JSON = new JsonFactory();

    private RequestAudit() {
    }

    public static String auditId(String fromClient) {
        if (fromClient != null && !fromClient.isEmpty() && fromClient.length() <= MAX_CLIENT_ID_LENGTH
                && fromClient.chars().allMatch(c -> c > ' ' && c < 127)) {
            return fromClient;
        }
        return UUID.randomUUID().toString();
    }

    public static boolean audited(RequestInfo info, int code) {
        return code == 401 || code == 403 || MUTATING.contains(info.verb());
    }

    /**
     * The event for a request: {@code authenticated} made it, {@code acting} is who it acted as
     * (the same unless it impersonated someone).
     */
    public static AuditEvent event(String auditId, Instant received, RequestInfo info, ApiRequest request,
            UserInfo authenticated, UserInfo acting, int code, byte[] responseBody, String sourceIp) {
        String userAgent = request.headers().get("User-Agent");
        String name = info.name().isEmpty() && info.verb().equals("create") && info.subresource().isEmpty()
                ? createdName(request, code, responseBody) : info.name();
        return new AuditEvent(UUID.randomUUID(), auditId, received.truncatedTo(ChronoUnit.MICROS), authenticated.name(),
                authenticated.groups(), acting == authenticated ? "" : acting.name(), "", info.verb(), info.apiGroup(),
                info.resource(), info.subresource(), info.namespace(), name, uri(request), code,
                userAgent == null ? "" : userAgent, sourceIp);
    }

    /**
     * The name a create made: the created object's (so a generateName is resolved), else the one the
     * request asked for. kubectl's typed clients send protobuf bodies, which are decoded only here,
     * for a create that failed.
     */
    private static String createdName(ApiRequest request, int code, byte[] responseBody) {
        if (code / 100 == 2 && responseBody != null) {
            String created = metadataName(responseBody);
            if (!created.isEmpty()) {
                return created;
            }
        }
        byte[] body = request.body();
        if (body != null && body.length > 0 && KubernetesProtobuf.isProtobuf(request.headers().get("Content-Type"))) {
            try {
                return KubernetesProtobuf.decode(body).path("metadata").path("name").asText("");
            } catch (RuntimeException undecodable) {
                return "";
            }
        }
        return body == null ? "" : metadataName(body);
    }

    /** A JSON object's {@code metadata.name}, read without decoding the rest; "" if there is none. */
    private static String metadataName(byte[] body) {
        if (body.length == 0 || body[0] != '{') {
            return "";
        }
        try (JsonParser parser = JSON.createParser(body)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (parser.nextToken() == JsonToken.START_OBJECT && field.equals("metadata")) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (inner.equals("name") && value == JsonToken.VALUE_STRING) {
                            return parser.getText();
                        }
                        parser.skipChildren();
                    }
                    return "";
                }
                parser.skipChildren();
            }
        } catch (IOException malformed) {
            return "";
        }
        return "";
    }

    private static String uri(ApiRequest request) {
        QueryStringEncoder encoder = new QueryStringEncoder(request.path());
        for (Map.Entry<String, List<String>> parameter : request.query().entrySet()) {
            for (String value : parameter.getValue()) {
                encoder.addParam(parameter.getKey(), value);
            }
        }
        return encoder.toString();
    }
}
