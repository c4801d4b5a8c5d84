package dev.flotilla.platform.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One audited request: who (user, groups, the user they impersonated, their namespace's tenant),
 * what (verb, API group, resource, subresource, namespace, name, URI), the answer's status code, and
 * when, from where and with what client. {@code id} is unique per event; {@code auditId} is the
 * request's Audit-Id. Empty strings mean "none", as in upstream's request attributes.
 */
public record AuditEvent(UUID id, String auditId, Instant receivedAt, String user, List<String> groups,
        String impersonatedUser, String tenant, String verb, String apiGroup, String resource, String subresource,
        String namespace, String name, String requestUri, int code, String userAgent, String sourceIp) {

    public AuditEvent {
        groups = List.copyOf(groups);
        impersonatedUser = orEmpty(impersonatedUser);
        tenant = orEmpty(tenant);
        apiGroup = orEmpty(apiGroup);
        resource = orEmpty(resource);
        subresource = orEmpty(subresource);
        namespace = orEmpty(namespace);
        name = orEmpty(name);
        requestUri = orEmpty(requestUri);
        userAgent = orEmpty(userAgent);
        sourceIp = orEmpty(sourceIp);
    }

    public AuditEvent withTenant(String value) {
        return new AuditEvent(id, auditId, receivedAt, user, groups, impersonatedUser, value, verb, apiGroup, resource,
                subresource, namespace, name, requestUri, code, userAgent, sourceIp);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
