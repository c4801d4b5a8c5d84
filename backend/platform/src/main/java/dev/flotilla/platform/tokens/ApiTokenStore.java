package dev.flotilla.platform.tokens;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Platform API tokens in PostgreSQL (table {@code api_tokens}, migration V2). */
@Singleton
public class ApiTokenStore {

    private static final String COLUMNS = "id, prefix, owner, owner_groups, name, namespace, read_only, created_at,"
            + " expires_at, last_used_at, revoked_at";
    private static final String UNIQUE_VIOLATION = "23505";

    private final PlatformDataSource database;

    public ApiTokenStore(PlatformDataSource database) {
        this.database = database;
    }

    /** A token and the salted hash its secret must match. */
    public record Stored(ApiToken token, byte[] salt, byte[] secretHash) {
    }

    /** A token just created, with the only copy of its value. */
    public record Issued(ApiToken token, String value) {
    }

    /** The owner already has a live token of that name. */
    public static final class NameTakenException extends Exception {
        public NameTakenException(String name) {
            super(name);
        }
    }

    public Issued create(String owner, List<String> groups, String name, String namespace, boolean readOnly,
            Instant expiresAt) throws SQLException, NameTakenException {
        ApiTokenSecrets.Parts parts = ApiTokenSecrets.generate();
        byte[] salt = ApiTokenSecrets.salt();
        String sql = "INSERT INTO api_tokens (prefix, salt, secret_hash, owner, owner_groups, name, namespace, read_only,"
                + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS;
        try (Connection connection = database.connection();
                PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, parts.prefix());
            insert.setBytes(2, salt);
            insert.setBytes(3, ApiTokenSecrets.hash(salt, parts.secret()));
            insert.setString(4, owner);
            insert.setArray(5, connection.createArrayOf("text", groups.toArray()));
            insert.setString(6, name);
            insert.setString(7, namespace);
            insert.setBoolean(8, readOnly);
            insert.setTimestamp(9, Timestamp.from(expiresAt));
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return new Issued(tokenOf(row), parts.token());
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new NameTakenException(name);
            }
            throw e;
        }
    }

    /** The token with this prefix, revoked or not. */
    public Optional<Stored> find(String prefix) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + ", salt, secret_hash FROM api_tokens WHERE prefix = ?")) {
            select.setString(1, prefix);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Stored(tokenOf(row), row.getBytes("salt"),
                        row.getBytes("secret_hash"))) : Optional.empty();
            }
        }
    }

    /** The owner's tokens that are not revoked, by name. */
    public List<ApiToken> list(String owner) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                        + " FROM api_tokens WHERE owner = ? AND revoked_at IS NULL ORDER BY name")) {
            select.setString(1, owner);
            List<ApiToken> tokens = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    tokens.add(tokenOf(row));
                }
            }
            return tokens;
        }
    }

    /** Revokes the owner's live token of that name; the revoked token, or empty if there is none. */
    public Optional<ApiToken> revoke(String owner, String name) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement update = connection.prepareStatement("UPDATE api_tokens SET revoked_at = now()"
                        + " WHERE owner = ? AND name = ? AND revoked_at IS NULL RETURNING " + COLUMNS)) {
            update.setString(1, owner);
            update.setString(2, name);
            try (ResultSet row = update.executeQuery()) {
                return row.next() ? Optional.of(tokenOf(row)) : Optional.empty();
            }
        }
    }

    /** Records when tokens were last used, never moving a time backwards. */
    public void recordLastUse(Map<UUID, Instant> uses) throws SQLException {
        try (Connection connection = database.connection();
                PreparedStatement update = connection.prepareStatement("UPDATE api_tokens SET last_used_at = ?"
                        + " WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
            for (Map.Entry<UUID, Instant> use : uses.entrySet()) {
                update.setTimestamp(1, Timestamp.from(use.getValue()));
                update.setObject(2, use.getKey());
                update.setTimestamp(3, Timestamp.from(use.getValue()));
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static ApiToken tokenOf(ResultSet row) throws SQLException {
        Array groups = row.getArray("owner_groups");
        return new ApiToken(row.getObject("id", UUID.class), row.getString("prefix"), row.getString("owner"),
                Arrays.asList((String[]) groups.getArray()), row.getString("name"), row.getString("namespace"),
                row.getBoolean("read_only"), instant(row, "created_at"), instant(row, "expires_at"),
                instant(row, "last_used_at"), instant(row, "revoked_at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
