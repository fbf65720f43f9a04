package io.hookline.storage;

import io.hookline.startup.StartupFailure;
import io.hookline.config.DatabaseConfig;

import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Connects once to the configured PostgreSQL before the pools are built, then opens them, so that a bad URL, an
 * unreachable server, a missing database, a refused login or a server without room for the pools stops start-up with
 * one line naming the setting. The line shows host, port and database, never the URL itself (it may hold the
 * password).
 */
public final class PostgresCheck {
    public static final String URL = "database.url (HOOKLINE_DB_URL)";
    static final String LOGIN = "database.user / database.password (HOOKLINE_DB_USER / HOOKLINE_DB_PASSWORD)";

    private PostgresCheck() {
    }

    static void reachable(DatabaseConfig config) {
        String where = where(config);
        if (where == null) throw new StartupFailure(URL + ": not a valid jdbc:postgresql://host:port/database URL");
        try (Connection c = DriverManager.getConnection(config.getUrl(), login(config))) {
            c.isValid(10);
        } catch (SQLException e) {
            throw explain(e, where);
        }
    }

    /**
     * Opens a pool now: its connections are opened whole on first use ({@link DatabaseConfig}), so that a server without
     * room for them stops start-up in one line instead of failing requests later.
     */
    static void open(DatabaseConfig config, Jdbi pool) {
        try {
            pool.useHandle(h -> { });
        } catch (ConnectionException e) {
            SQLException cause = sqlCause(e);
            if (cause == null) throw e;
            if (TOO_MANY_CONNECTIONS.equals(cause.getSQLState())) {
                throw new StartupFailure("database.writers, database.readers: this node opens "
                        + (config.getWriters() + config.getReaders() + 3) + " connections (" + config.getWriters()
                        + " writers, " + config.getReaders() + " readers and 3 of its own) and " + where(config)
                        + " has no room for them: " + firstLine(cause.getMessage()) + "; raise the server's "
                        + "max_connections (or the role's connection limit), or lower these settings");
            }
            throw explain(cause, where(config));
        }
    }

    /** SQLSTATE too_many_connections: the server's max_connections, or a role's or database's connection limit. */
    private static final String TOO_MANY_CONNECTIONS = "53300";

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) return s;
        }
        return null;
    }

    /** The user and password settings (when given) as connection properties. */
    static Properties login(DatabaseConfig config) {
        Properties login = new Properties();
        if (!config.getUser().isEmpty()) login.setProperty("user", config.getUser());
        if (!config.getPassword().isEmpty()) login.setProperty("password", config.getPassword());
        login.setProperty("connectTimeout", "10");
        return login;
    }

    /** "PostgreSQL at host:port/database" for the configured URL, or null when the driver cannot parse it. */
    static String where(DatabaseConfig config) {
        Properties parsed = org.postgresql.Driver.parseURL(config.getUrl(), null);
        if (parsed == null) return null;
        return "PostgreSQL at " + parsed.getProperty("PGHOST") + ":" + parsed.getProperty("PGPORT") + "/"
                + parsed.getProperty("PGDBNAME");
    }

    /** The one line for a failed connection, by SQLSTATE class. */
    static StartupFailure explain(SQLException e, String where) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = firstLine(e.getMessage());
        if (state.startsWith("28")) return new StartupFailure(LOGIN + ": " + where + " refused the login: " + reason);
        if (state.equals("3D000")) return new StartupFailure(URL + ": " + where + ": no such database: " + reason);
        if (state.startsWith("08")) return new StartupFailure(URL + ": cannot reach " + where + ": " + reason);
        return new StartupFailure(URL + ": " + where + ": " + reason);
    }

    /** SQLSTATE insufficient_privilege. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    /**
     * A migration that failed because the login may not create or change Hookline's tables, as one line naming the
     * login settings; any other failure unchanged.
     */
    static RuntimeException migrationFailure(DatabaseConfig config, RuntimeException e) {
        SQLException cause = sqlCause(e);
        if (cause == null || !INSUFFICIENT_PRIVILEGE.equals(cause.getSQLState())) return e;
        return new StartupFailure(LOGIN + ": " + where(config) + ": this user may not create Hookline's tables: "
                + firstLine(cause.getMessage()) + "; make it the owner of the database (or of its schema), or grant "
                + "it CREATE on the schema");
    }

    private static String firstLine(String message) {
        if (message == null) return "(no detail)";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
