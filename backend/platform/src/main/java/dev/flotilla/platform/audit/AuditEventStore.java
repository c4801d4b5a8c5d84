package dev.flotilla.platform.audit;

import dev.flotilla.platform.db.PlatformDataSource;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The audit log in PostgreSQL (table {@code audit_events}, migration V4). */
@Singleton
public class AuditEventStore {

    private static final String COLUMNS = "id, audit_id, received_at, username, user_groups, impersonated_user, tenant,"
            + " verb, api_group, resource, subresource, namespace, name, request_uri, code, user_agent, source_ip";

    private final PlatformDataSource database;

    public AuditEventStore(PlatformDataSource database) {
        this.database = database;
    }

    /**
     * Inserts the events in one transaction; an event whose id is already stored (offered again after
     * a spool replay) is skipped. Returns how many were new.
     */
    public int insert(Collection<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        String sql = "INSERT INTO audit_events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING";
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (AuditEvent event : events) {
                    bind(connection, insert, event);
                    insert.addBatch();
                }
                int inserted = 0;
                for (int count : insert.executeBatch()) {
                    inserted += Math.max(count, 0);
                }
                connection.commit();
                return inserted;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    public Optional<AuditEvent> find(UUID id) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM audit_events WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(eventOf(row)) : Optional.empty();
            }
        }
    }

    /** The events the query asks for, newest first. */
    public List<AuditEvent> list(AuditQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE true");
        List<Object> values = new ArrayList<>();
        condition(sql, values, "username = ?", query.user());
        condition(sql, values, "verb = ?", query.verb());
        condition(sql, values, "resource = ?", query.resource());
        if (query.namespace() != null) {
            sql.append(" AND namespace = ?");
            values.add(query.namespace());
        }
        if (query.since() != null) {
            sql.append(" AND received_at >= ?");
            values.add(Timestamp.from(query.since()));
        }
        if (query.until() != null) {
            sql.append(" AND received_at < ?");
            values.add(Timestamp.from(query.until()));
        }
        if (query.after() != null) {
            sql.append(" AND (received_at, id) < (?, ?)");
            values.add(Timestamp.from(query.after().receivedAt()));
            values.add(query.after().id());
        }
        if (query.visibleNamespaces() != null) {
            sql.append(" AND namespace = ANY (?)");
        }
        sql.append(" ORDER BY received_at DESC, id DESC LIMIT ?");
        try (Connection connection = database.connection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            int index = 1;
            for (Object value : values) {
                select.setObject(index++, value);
            }
            if (query.visibleNamespaces() != null) {
                select.setArray(index++, connection.createArrayOf("text", query.visibleNamespaces().toArray()));
            }
            select.setInt(index, query.limit());
            List<AuditEvent> events = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    events.add(eventOf(row));
                }
            }
            return events;
        }
    }

    /** Deletes the events received before {@code cutoff}; how many. */
    public int deleteBefore(Instant cutoff) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM audit_events WHERE received_at < ?")) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            return delete.executeUpdate();
        }
    }

    private static void condition(StringBuilder sql, List<Object> values, String clause, String value) {
        if (value != null && !value.isEmpty()) {
            sql.append(" AND ").append(clause);
            values.add(value);
        }
    }

    private static void bind(Connection connection, PreparedStatement insert, AuditEvent event) throws SQLException {
        insert.setObject(1, event.id());
        insert.setString(2, event.auditId());
        insert.setTimestamp(3, Timestamp.from(event.receivedAt()));
        insert.setString(4, event.user());
        insert.setArray(5, connection.createArrayOf("text", event.groups().toArray()));
        insert.setString(6, event.impersonatedUser().isEmpty() ? null : event.impersonatedUser());
        insert.setString(7, event.tenant().isEmpty() ? null : event.tenant());
        insert.setString(8, event.verb());
        insert.setString(9, event.apiGroup());
        insert.setString(10, event.resource());
        insert.setString(11, event.subresource());
        insert.setString(12, event.namespace());
        insert.setString(13, event.name());
        insert.setString(14, event.requestUri());
        insert.setInt(15, event.code());
        insert.setString(16, event.userAgent());
        insert.setString(17, event.sourceIp());
    }

    private static AuditEvent eventOf(ResultSet row) throws SQLException {
        Array groups = row.getArray("user_groups");
        return new AuditEvent(row.getObject("id", UUID.class), row.getString("audit_id"),
                row.getTimestamp("received_at").toInstant(), row.getString("username"),
                Arrays.asList((String[]) groups.getArray()), row.getString("impersonated_user"), row.getString("tenant"),
                row.getString("verb"), row.getString("api_group"), row.getString("resource"),
                row.getString("subresource"), row.getString("namespace"), row.getString("name"),
                row.getString("request_uri"), row.getInt("code"), row.getString("user_agent"),
                row.getString("source_ip"));
    }
}
