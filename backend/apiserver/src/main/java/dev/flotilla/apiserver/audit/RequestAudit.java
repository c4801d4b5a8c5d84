package dev.flotilla.apiserver.audit;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.RequestInfo;
import dev.flotilla.platform.audit.AuditEvent;
import io.netty.handler.codec.http.QueryStringEncoder;
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
            UserInfo authenticated, UserInfo acting, int code, String sourceIp) {
        String userAgent = request.headers().get("User-Agent");
        return new AuditEvent(UUID.randomUUID(), auditId, received.truncatedTo(ChronoUnit.MICROS), authenticated.name(),
                authenticated.groups(), acting == authenticated ? "" : acting.name(), "", info.verb(), info.apiGroup(),
                info.resource(), info.subresource(), info.namespace(), info.name(), uri(request), code,
                userAgent == null ? "" : userAgent, sourceIp);
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
