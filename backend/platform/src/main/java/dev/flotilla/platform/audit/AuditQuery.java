package dev.flotilla.platform.audit;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Which audit events a list wants, newest first: optional user, verb, resource and namespace, a time range
 * ({@code since} inclusive, {@code until} exclusive), the namespaces the caller may see
 * ({@code visibleNamespaces} null: all, including events without a namespace), at most {@code limit}
 * events after the position {@code after} (the last event of the previous page, or null).
 */
public record AuditQuery(String user, String verb, String resource, String namespace, Instant since, Instant until,
        Set<String> visibleNamespaces, int limit, Position after) {

    /** An event's place in the newest-first order. */
    public record Position(Instant receivedAt, UUID id) {
    }
}
