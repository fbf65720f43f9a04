package io.hookline.storage;

import io.hookline.startup.StartupFailure;

import java.nio.file.Path;
import java.sql.SQLException;

/** One line for the operator when the SQLite file cannot be used: which file, what is wrong, what to do. */
public final class OpenFailures {
    private OpenFailures() {
    }

    public static StartupFailure of(String databasePath, RuntimeException e) {
        if (e instanceof StartupFailure f) return f;
        String path = Path.of(databasePath).toAbsolutePath().toString();
        String message = sqliteMessage(e);
        String hint;
        if (message.contains("SQLITE_CANTOPEN")) {
            hint = "cannot be opened; check that the folder exists and is writable by this user (database.path, "
                    + "HOOKLINE_DB)";
        } else if (message.contains("SQLITE_READONLY") || message.contains("readonly")) {
            hint = "is read-only; Hookline needs to write the file and its folder (for the -wal and -shm files)";
        } else if (message.contains("SQLITE_NOTADB") || message.contains("SQLITE_CORRUPT")) {
            hint = "is not a valid SQLite database (damaged, or another kind of file); restore it from a backup "
                    + "(README, \"Backup and restore\")";
        } else {
            hint = "cannot be used";
        }
        return new StartupFailure("database " + path + " " + hint + " [" + message + "]", e);
    }

    private static String sqliteMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getMessage() != null) return s.getMessage();
        }
        return String.valueOf(e.getMessage());
    }
}
