package io.hookline.storage;

import io.hookline.config.DatabaseConfig;
import io.hookline.support.Commands;
import io.hookline.support.TestApps;
import io.hookline.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL that cannot be used stops start-up with one line naming the setting, never a stack trace, and never
 * the URL itself (it may hold a password). The server command runs as an operator runs it: a separate process.
 */
class PostgresSettingsTest {

    private static Commands.Result serve(Map<String, String> environment) throws Exception {
        Path dir = TestApps.tempDir();
        Map<String, String> env = new HashMap<>(Map.of("HOOKLINE_DB", dir.resolve("unused.db").toString(),
                "HOOKLINE_PORT", "0", "HOOKLINE_ADMIN_PORT", "0", "HOOKLINE_BIND", "127.0.0.1",
                "HOOKLINE_PLUGINS_DIR", dir.resolve("plugins").toString()));
        env.putAll(environment);
        return Commands.run(env, "server");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void anUnreachableServerStopsStartUpWithOneLineNamingTheSetting() throws Exception {
        int port = closedPort();
        Commands.Result exit = serve(Map.of("HOOKLINE_DB_URL",
                "jdbc:postgresql://127.0.0.1:" + port + "/hookline?password=s3cret-in-url"));
        assertThat(exit.exitCode()).isNotZero();
        assertThat(exit.stderr()).contains("database.url (HOOKLINE_DB_URL): cannot reach PostgreSQL at 127.0.0.1:"
                + port + "/hookline").doesNotContain("\tat ").doesNotContain("s3cret-in-url");
    }

    @Test
    void aMissingDatabaseIsNamed() throws Exception {
        String url = TestDatabases.createDatabase().replaceFirst("/(hookline_test_[0-9_]+)", "/$1_missing");
        Commands.Result exit = serve(Map.of("HOOKLINE_DB_URL", url));
        assertThat(exit.exitCode()).isNotZero();
        assertThat(exit.stderr()).contains("database.url (HOOKLINE_DB_URL): PostgreSQL at")
                .contains("no such database").doesNotContain("\tat ");
    }

    @Test
    void aUrlOfAnotherKindIsRefusedByTheConfigurationCheck() throws Exception {
        Commands.Result exit = serve(Map.of("HOOKLINE_DB_URL", "jdbc:mysql://127.0.0.1/hookline"));
        assertThat(exit.exitCode()).isNotZero();
        assertThat(exit.stderr()).contains("database.url must be empty (SQLite) or a jdbc:postgresql:// URL")
                .doesNotContain("\tat ");
    }

    /** A login role of its own on the test server, allowed this many connections; the URL that logs in as it. */
    private static String asNewRole(String url, String prefix, int connectionLimit) throws Exception {
        String role = prefix + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT " + connectionLimit);
        }
        String asRole = url.replaceAll("([?&])user=[^&]*", "$1user=" + role);
        assertThat(asRole).as("the test server's URL names its user").isNotEqualTo(url);
        return asRole;
    }

    @Test
    void aServerWithoutRoomForTheNodesConnectionsStopsStartUpWithOneLineNamingTheSettings() throws Exception {
        // The writer pool opens all its connections (at least 2) at once: a limit of 1 refuses the second.
        String asRole = asNewRole(TestDatabases.createDatabase(), "hookline_tight_", 1);
        Commands.Result exit = serve(Map.of("HOOKLINE_DB_URL", asRole));
        int writers = DatabaseConfig.defaultWriters(Runtime.getRuntime().availableProcessors());
        assertThat(exit.exitCode()).isNotZero();
        assertThat(exit.stderr()).contains("database.writers, database.readers: this node opens " + (writers + 7)
                        + " connections (" + writers + " writers, 4 readers and 3 of its own) and PostgreSQL at")
                .contains("too many connections for role").contains("max_connections").doesNotContain("\tat ");
    }

    @Test
    void aLoginThatMayNotCreateTheTablesStopsStartUpWithOneLineNamingTheLoginSettings() throws Exception {
        String url = TestDatabases.createDatabase();
        // Since PostgreSQL 15 a role that does not own the database may not create tables in its schema public.
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }
        Commands.Result exit = serve(Map.of("HOOKLINE_DB_URL", asNewRole(url, "hookline_reader_", 50)));
        assertThat(exit.exitCode()).isNotZero();
        assertThat(exit.stderr()).contains("database.user / database.password (HOOKLINE_DB_USER / "
                        + "HOOKLINE_DB_PASSWORD): PostgreSQL at").contains("this user may not create Hookline's tables")
                .contains("permission denied for schema public").doesNotContain("\tat ");
    }

    @Test
    void aRefusedLoginNamesTheUserAndPasswordSettings() {
        SQLException refused = new SQLException("FATAL: password authentication failed for user \"hookline\"",
                "28P01");
        assertThat(PostgresCheck.explain(refused, "PostgreSQL at db:5432/hookline").getMessage()).isEqualTo(
                "database.user / database.password (HOOKLINE_DB_USER / HOOKLINE_DB_PASSWORD): PostgreSQL at "
                        + "db:5432/hookline refused the login: FATAL: password authentication failed for user "
                        + "\"hookline\"");
    }

    @Test
    void backupOnPostgresqlRefusesInOneLinePointingAtPgDump() throws Exception {
        Path dir = TestApps.tempDir();
        Commands.Result exit = Commands.run(Map.of("HOOKLINE_DB", dir.resolve("unused.db").toString(),
                "HOOKLINE_DB_URL", TestDatabases.createDatabase()), "backup");
        assertThat(exit.exitCode()).isNotZero();
        assertThat(exit.stderr()).contains("Backup failed: database.url is PostgreSQL").contains("pg_dump")
                .doesNotContain("\tat ");
    }

    @Test
    void anApiOnlyNodeOnSqliteIsRefusedInOneLine() throws Exception {
        Commands.Result exit = serve(Map.of("HOOKLINE_DELIVERY_ENABLED", "false"));
        assertThat(exit.exitCode()).isNotZero();
        assertThat(exit.stderr()).contains("delivery.enabled (HOOKLINE_DELIVERY_ENABLED) is false, but on SQLite")
                .doesNotContain("\tat ");
    }
}
