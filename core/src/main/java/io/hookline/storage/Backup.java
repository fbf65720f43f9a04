package io.hookline.storage;

import org.jdbi.v3.core.Handle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An online backup of the SQLite database with {@code VACUUM INTO}: one consistent snapshot (the main file and
 * whatever the write-ahead log holds) written as a compact, self-contained database file, while the server keeps
 * serving. Copying {@code hookline.db} alone is not a backup: recent commits live in {@code hookline.db-wal}.
 * The snapshot is written beside the target and renamed into place, so a target that exists is always complete.
 */
public final class Backup {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Why there is no built-in backup on PostgreSQL, and what to use instead (one line for the operator). */
    public static final String ON_POSTGRESQL = "database.url is PostgreSQL: Hookline backs up SQLite only; back the "
            + "database up with pg_dump (README, \"PostgreSQL\")";

    private Backup() {
    }

    /** A backup written: where, and its size. */
    public record Written(Path file, long bytes) {
        @Override
        public String toString() {
            return "backup written to " + file + " (" + bytes + " bytes)";
        }
    }

    /** Where a backup goes when the operator names no file: {@code backups/hookline-<UTC time>.db} beside the database. */
    public static Path defaultTarget(String databasePath, Instant now) {
        Path db = Path.of(databasePath).toAbsolutePath();
        return db.resolveSibling("backups").resolve("hookline-" + STAMP.format(now) + ".db");
    }

    /**
     * Writes a snapshot of the database {@code h} is connected to into {@code target}, which must not exist.
     * {@code h} must not be in a transaction.
     *
     * @throws IllegalArgumentException when {@code target} exists or its folder cannot be created (message for the
     *                                  operator)
     */
    public static Written write(Handle h, Path target) {
        Path file = target.toAbsolutePath();
        if (Files.exists(file)) {
            throw new IllegalArgumentException("backup target " + file + " exists; name a new file");
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            throw new IllegalArgumentException("backup target " + file + ": cannot prepare its folder (" + e + ")", e);
        }
        try {
            h.execute("VACUUM INTO ?", partial.toString());
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return new Written(file, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("backup to " + file + " failed", e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // nothing left to clean or nothing we can do
            }
        }
    }
}
