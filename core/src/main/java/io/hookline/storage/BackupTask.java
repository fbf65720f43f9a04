package io.hookline.storage;

import io.dropwizard.servlets.tasks.Task;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /tasks/backup[?to=<file>]} on the admin port: an online backup of the running server's database (see
 * {@link Backup}); without {@code to}, into {@code backups/} beside the database.
 */
public final class BackupTask extends Task {
    private final Database db;
    private final String databasePath;

    public BackupTask(Database db, String databasePath) {
        super("backup");
        this.db = db;
        this.databasePath = databasePath;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            output.println(Backup.ON_POSTGRESQL);
            return;
        }
        List<String> to = parameters.getOrDefault("to", List.of());
        Path target = to.isEmpty() || to.get(0).isBlank()
                ? Backup.defaultTarget(databasePath, Instant.ofEpochMilli(db.clock().nowMicros() / 1000))
                : Path.of(to.get(0));
        Backup.Written written = db.backup(target);
        output.println(written);
    }
}
