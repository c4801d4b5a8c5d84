package dev.flotilla.platform.objects;

import dev.flotilla.api.health.Causes;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTimeoutException;

/** Maps JDBC failures onto the object store's exceptions, naming the database that failed. */
final class PostgresFailures {

    private PostgresFailures() {
    }

    static StorageException translate(SQLException e, String database, String operation) {
        if (unreachable(e)) {
            return new StorageUnavailableException("PostgreSQL at " + database + " is unavailable: " + Causes.rootMessage(e)
                    + " (" + operation + ")", e);
        }
        return new StorageException("PostgreSQL at " + database + " failed to " + operation + ": " + e.getMessage(), e);
    }

    /** Connection refused or lost, pool timeout, statement timeout, server shutting down. */
    static boolean unreachable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return e instanceof SQLTransientConnectionException || e instanceof SQLTimeoutException
                || state.startsWith("08") || state.startsWith("57P") || state.equals("57014");
    }
}
