package io.hookline.support;

import io.hookline.storage.ChangeClock;
import io.hookline.storage.Database;
import io.hookline.storage.Dialect;
import io.hookline.storage.GroupWriter;
import io.hookline.storage.Migrations;
import io.hookline.storage.PostgresWriter;
import io.hookline.storage.Writer;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.time.Clock;

/**
 * A migrated database of its own with the server's writer, for tests of services without HTTP: a SQLite file, or its
 * PostgreSQL twin when the suite runs on PostgreSQL.
 */
public final class TestDatabase implements AutoCloseable {
    private final Writer writer;
    private final Database db;

    public TestDatabase(Clock clock) {
        Path file = TestApps.tempDir().resolve("service.db");
        Dialect dialect = TestDatabases.postgresql() ? Dialect.POSTGRESQL : Dialect.SQLITE;
        Jdbi jdbi = dialect.install(Jdbi.create(TestDatabases.postgresql() ? TestDatabases.urlFor(file)
                : "jdbc:sqlite:" + file));
        Migrations.apply(jdbi, dialect);
        ChangeClock changes = new ChangeClock(clock);
        writer = dialect == Dialect.POSTGRESQL ? new PostgresWriter(jdbi, changes, 4, 16, 100)
                : new GroupWriter(jdbi, changes, 16, 100);
        writer.start();
        db = new Database(jdbi, writer, changes, dialect);
    }

    public Database db() {
        return db;
    }

    @Override
    public void close() throws InterruptedException {
        writer.stop();
    }
}
