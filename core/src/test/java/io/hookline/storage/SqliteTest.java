package io.hookline.storage;

import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.TestApps;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The database as DESIGN.md wants it: WAL, foreign keys, busy timeout, one writer; migrations applied once. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SqliteTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();

    /** The app's own connection pools, by name ("sqlite-writer", "sqlite-readers"). */
    private static DataSourceProxy pool(String name) {
        List<String> names = new ArrayList<>();
        for (var managed : APP.getEnvironment().lifecycle().getManagedObjects()) {
            if (managed instanceof JettyManaged jm && jm.getManaged() instanceof ManagedDataSource ds
                    && ds instanceof DataSourceProxy proxy) {
                names.add(proxy.getPoolProperties().getName());
                if (name.equals(proxy.getPoolProperties().getName())) return proxy;
            }
        }
        throw new AssertionError("No pool " + name + " among " + names);
    }

    private static String pragma(Connection c, String pragma) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static Path dbFile() {
        return Path.of(APP.getConfiguration().getDatabase().getPath());
    }

    @Test
    void everyReaderConnectionIsWalWithForeignKeys() throws SQLException {
        DataSourceProxy readers = pool("sqlite-readers");
        int size = readers.getPoolProperties().getMaxActive();
        assertThat(size).isEqualTo(4);
        // Hold them all at once so that each pooled connection is checked, not one of them four times.
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) held.add(readers.getConnection());
            for (Connection c : held) {
                assertThat(pragma(c, "journal_mode")).isEqualToIgnoringCase("wal");
                assertThat(pragma(c, "foreign_keys")).isEqualTo("1");
                assertThat(pragma(c, "synchronous")).isEqualTo("1"); // NORMAL
                assertThat(Integer.parseInt(pragma(c, "busy_timeout"))).isEqualTo(10_000);
            }
        } finally {
            for (Connection c : held) c.close();
        }
    }

    @Test
    void oneWriterConnectionWithForeignKeysEnforced() throws SQLException {
        DataSourceProxy writer = pool("sqlite-writer");
        assertThat(writer.getPoolProperties().getMaxActive()).isEqualTo(1);
        try (Connection c = writer.getConnection()) {
            assertThat(pragma(c, "journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(pragma(c, "foreign_keys")).isEqualTo("1");
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // An access of a user that does not exist: refused by the foreign key, not stored.
                s.executeUpdate("INSERT INTO accesses (id, user_id, token, type, name, permissions, created, "
                        + "created_by, modified, modified_by) VALUES ('x', 987654, 't', 'app', 'n', '[]', 0, 'x', 0, 'x')");
                throw new AssertionError("foreign key not enforced");
            } catch (SQLException e) {
                assertThat(e.getMessage()).containsIgnoringCase("FOREIGN KEY");
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    @Test
    void theWalFileIsBesideTheDatabase() {
        ApiClient api = TestApps.client(APP);
        ApiClient.User u = api.newUser("wal");
        ok(api.post("/" + u.username() + "/streams", u.token(), Map.of("name", "s")), 201);
        assertThat(dbFile()).exists();
        assertThat(Path.of(dbFile() + "-wal")).exists();
    }

    @Test
    void migrationsAreRecordedAndNotReapplied() {
        Jdbi live = Jdbi.create("jdbc:sqlite:" + dbFile());
        List<String> recorded = live.withHandle(h -> h.createQuery("SELECT version FROM schema_migrations ORDER BY version")
                .mapTo(String.class).list());
        assertThat(recorded).containsExactlyElementsOf(Migrations.FILES);
        assertThat(Migrations.apply(live, Dialect.SQLITE)).isZero();
        int rows = live.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM schema_migrations").mapTo(Integer.class)
                .one());
        assertThat(rows).isEqualTo(Migrations.FILES.size());
    }

    @Test
    void aFreshDatabaseGetsEveryMigrationOnce() throws Exception {
        Path fresh = TestApps.tempDir().resolve("fresh.db");
        Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + fresh);
        assertThat(Migrations.apply(jdbi, Dialect.SQLITE)).isEqualTo(Migrations.FILES.size());
        assertThat(Migrations.apply(jdbi, Dialect.SQLITE)).isZero();
        List<String> tables = jdbi.withHandle(h -> h.createQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").mapTo(String.class).list());
        assertThat(tables).contains("users", "accesses", "streams", "stream_deletions", "events", "event_streams",
                "schema_migrations");
        assertThat(Files.size(fresh)).isPositive();
    }
}
