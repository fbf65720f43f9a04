package io.hookline.support;

import io.hookline.storage.ChangeClock;
import io.hookline.storage.Database;
import io.hookline.storage.Migrations;
import io.hookline.storage.Writer;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;

/** A migrated SQLite file of its own with the server's single writer, for tests of services without HTTP. */
public final class TestDatabase implements AutoCloseable {
    private final Writer writer;
    private final Database db;

    public TestDatabase(Clock clock) {
        Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + TestApps.tempDir().resolve("service.db"));
        Migrations.apply(jdbi);
        ChangeClock changes = new ChangeClock(clock);
        writer = new Writer(jdbi, changes, 16, 100);
        writer.start();
        db = new Database(jdbi, writer, changes);
    }

    public Database db() {
        return db;
    }

    @Override
    public void close() throws InterruptedException {
        writer.stop();
    }
}
