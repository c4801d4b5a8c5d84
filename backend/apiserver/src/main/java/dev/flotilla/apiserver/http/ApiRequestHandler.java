package dev.flotilla.apiserver.http;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.audit.AuditLog;
import dev.flotilla.apiserver.audit.RequestAudit;
import dev.flotilla.apiserver.authn.BearerTokenAuthentication;
import dev.flotilla.apiserver.authn.X509Authenticator;
import dev.flotilla.apiserver.authz.PublicClusterInfo;
import dev.flotilla.apiserver.authz.Impersonation;
import dev.flotilla.apiserver.authz.RequestAuthorizer;
import dev.flotilla.apiserver.metrics.RequestMetrics;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's path through the server, top to bottom: the in-flight limit ({@link #admit}),
 * authentication, impersonation ({@link Impersonation}), authorization (RBAC, {@link RequestAuthorizer}),
 * routing, the endpoint, metrics, the audit log ({@link AuditLog}: mutating and denied requests; every
 * answer carries the request's {@code Audit-Id}). Every failure leaves as a Kubernetes {@code Status}; nothing escapes as a stack
 * trace.
 */
@Singleton
public class ApiRequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRequestHandler.class);

    private final X509Authenticator x509;
    private final BearerTokenAuthentication bearer;
    private final Router router;
    private final RequestMetrics metrics;
    private final RequestAuthorizer authorizer;
    private final Impersonation impersonation;
    private final boolean anonymousAuth;
    private final AuditLog audit;

    private final Semaphore inFlight;

    public ApiRequestHandler(X509Authenticator x509, BearerTokenAuthentication bearer, Router router,
            RequestMetrics metrics, ApiServerProperties properties, RequestAuthorizer authorizer,
            Impersonation impersonation, AuditLog audit) {
        this.audit = audit;
        this.impersonation = impersonation;
        this.x509 = x509;
        this.bearer = bearer;
        this.authorizer = authorizer;
        this.router = router;
        this.metrics = metrics;
        this.inFlight = new Semaphore(properties.getMaxRequestsInFlight());
        this.anonymousAuth = properties.isAnonymousAuth();
    }

    /**
     * Admits a request under the in-flight limit, or answers 429 with Retry-After at once instead of
     * queueing without bound. Watches and streams are long-running and not counted.
     */
    ApiResponse admit(RequestInfo info) {
        if (info.longRunning() || inFlight.tryAcquire()) {
            return null;
        }
        ApiResponse refused = ApiResponse.of(ApiError.tooManyRequests("Too many requests, please try again later."))
                .withHeader("Retry-After", "1");
        metrics.record(info.verb(), info.resource(), refused.code(), Duration.ZERO);
        return refused;
    }

    void release(RequestInfo info) {
        if (!info.longRunning()) {
            inFlight.release();
        }
    }

    /** The client certificate's user; on the I/O thread, so outside the per-request policy sum. */
    UserInfo authenticate(SSLSession session) {
        long start = System.nanoTime();
        Optional<UserInfo> user = x509.authenticate(session);
        if (user.isPresent()) {
            metrics.authentication("success", System.nanoTime() - start);
        }
        return user.orElse(UserInfo.ANONYMOUS);
    }

    public ApiResponse handle(ApiRequest request) {
        return handle(request, RequestInfo.of(request.method().name(), request.path(), request.query()), "");
    }

    ApiResponse handle(ApiRequest request, RequestInfo info, String sourceIp) {
        long start = System.nanoTime();
        Instant received = Instant.now();
        String auditId = RequestAudit.auditId(request.headers().get(RequestAudit.HEADER));
        ApiRequest authenticated = request;
        ApiRequest acting = request;
        ApiResponse response;
        metrics.beginRequest();
        try {
            authenticated = withBearerUser(request);
            acting = authenticated;
            acting = actingAndAuthorized(authenticated, info);
            response = route(acting, info);
        } catch (ApiError e) {
            response = ApiResponse.of(e);
        } catch (RuntimeException e) {
            LOG.error("unexpected failure serving {} {}", request.method(), request.path(), e);
            response = ApiResponse.of(ApiError.internal(e.getClass().getSimpleName()));
        }
        metrics.endRequest(info.verb());
        metrics.record(info.verb(), info.resource(), response.code(), Duration.ofNanos(System.nanoTime() - start));
        if (audit.enabled() && RequestAudit.audited(info, response.code())) {
            audit.record(RequestAudit.event(auditId, received, info, request, authenticated.user(), acting.user(),
                    response.code(), response.body(), sourceIp));
        }
        return response.withHeader(RequestAudit.HEADER, auditId);
    }

    /** The request as the user it acts as (after impersonation), authorized; anonymous ones are checked per route. */
    private ApiRequest actingAndAuthorized(ApiRequest authenticated, RequestInfo info) {
        if (authenticated.user().isAnonymous()) {
            return authenticated;
        }
        long start = System.nanoTime();
        String decision = "denied";
        try {
            ApiRequest acting = authenticated.withUser(impersonation.actingUser(authenticated.user(), authenticated.headers()));
            authorizer.authorize(acting.user(), info);
            decision = "allowed";
            return acting;
        } finally {
            metrics.authorization(decision, System.nanoTime() - start);
        }
    }

    /**
     * A verified client certificate wins; otherwise a bearer token, checked here rather than on the
     * event loop because checking it reads the API (is its service account still there?).
     */
    private ApiRequest withBearerUser(ApiRequest request) {
        if (!request.user().isAnonymous()) {
            return request;
        }
        Optional<String> token = BearerTokenAuthentication.tokenOf(request.headers().get("Authorization"));
        if (token.isEmpty()) {
            return request;
        }
        long start = System.nanoTime();
        String result = "failure";
        try {
            ApiRequest authenticated = request.withUser(bearer.authenticate(token.get()));
            result = "success";
            return authenticated;
        } finally {
            metrics.authentication(result, System.nanoTime() - start);
        }
    }

    private ApiResponse route(ApiRequest request, RequestInfo info) {
        Optional<Route> route = router.find(request.path());
        if (route.isPresent() && request.user().isAnonymous() && PublicClusterInfo.isRead(info)) {
            return route.get().endpoint().handle(request);
        }
        if (route.isEmpty()) {
            throw request.user().isAnonymous() ? ApiError.unauthorized() : ApiError.notFoundPath();
        }
        if ((!route.get().publicInfo() || !anonymousAuth) && request.user().isAnonymous()) {
            throw ApiError.unauthorized();
        }
        if (route.get().publicInfo() && !request.method().name().equals("GET")
                && !request.method().name().equals("HEAD")) {
            throw request.user().isAnonymous()
                    ? ApiError.forbiddenPath(request.user().name(), request.nonResourceVerb(), request.path())
                    : ApiError.methodNotAllowed(request.method().name());
        }
        return route.get().endpoint().handle(request);
    }
}
