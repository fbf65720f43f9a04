package io.hookline.startup;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.storage.DatabaseLock;
import io.hookline.support.HooklineProcess;
import io.hookline.support.Startups;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One writer per database, and no database from a newer Hookline. */
class DatabaseGuardTest {
    @Test
    void aSecondServerOnTheSameDatabaseIsRefusedInOneLine() throws Exception {
        String db = TestApps.tempDir().resolve("hookline.db").toString();
        DropwizardAppExtension<HooklineConfiguration> first = TestApps.app("database.path", db);
        first.before();
        try {
            HooklineProcess.Result second = HooklineProcess.run(Duration.ofSeconds(120), Map.of(
                    "database.path", db,
                    "server.applicationConnectors[0].port", "0",
                    "server.adminConnectors[0].port", "0",
                    "plugins.directory", first.getConfiguration().getPlugins().getDirectory(),
                    "logging.level", "WARN"), "server", TestApps.configFile());
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.stderr()).contains("Hookline cannot start: database ")
                    .contains("is in use by another Hookline (pid " + ProcessHandle.current().pid() + ")")
                    .contains(DatabaseLock.fileOf(db).toString())
                    .doesNotContain("\tat ");
            // the first one goes on serving
            assertThat(TestApps.client(first).createUser("still-serving").token()).isNotEmpty();
        } finally {
            first.after();
        }
        // and once it stopped, the file is free again
        DropwizardAppExtension<HooklineConfiguration> again = TestApps.app("database.path", db);
        again.before();
        again.after();
    }

    @Test
    void aFirstStartCreatesTheDatabaseFolder() throws Exception {
        Path folder = TestApps.tempDir().resolve("not-yet").resolve("data");
        String db = folder.resolve("hookline.db").toString();
        DropwizardAppExtension<HooklineConfiguration> app = TestApps.app("database.path", db);
        app.before();
        try {
            assertThat(TestApps.client(app).createUser("first-start").token()).isNotEmpty();
            assertThat(DatabaseLock.fileOf(db)).exists();
        } finally {
            app.after();
        }
        assertThat(folder.resolve("hookline.db")).exists();
    }

    @Test
    void aDatabaseFromANewerHooklineIsRefusedNamingBothVersions() throws Exception {
        String db = TestApps.tempDir().resolve("hookline.db").toString();
        DropwizardAppExtension<HooklineConfiguration> first = TestApps.app("database.path", db);
        first.before();
        first.after();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("INSERT INTO schema_migrations (version, applied) "
                    + "VALUES ('V099__from_the_future.sql', 0)");
        }

        String refusal = Startups.refusal(TestApps.app("database.path", db));
        assertThat(refusal).contains("schema version V099__from_the_future.sql")
                .contains("this Hookline's " + io.hookline.storage.Migrations.latest());
    }
}
