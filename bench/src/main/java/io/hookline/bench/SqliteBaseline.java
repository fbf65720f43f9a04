package io.hookline.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * The storage floor of ingest: a bare JDBC loop inserting event rows like the server's (an {@code events} row and its
 * {@code event_streams} link, same columns and indexes) into an SQLite file with the server's pragmas (WAL,
 * synchronous=NORMAL, foreign_keys), one transaction per insert, on one thread.
 */
public final class SqliteBaseline {
    private SqliteBaseline() {
    }

    /** Alone: {@code java -cp hookline-bench.jar io.hookline.bench.SqliteBaseline [seconds]}. */
    public static void main(String[] args) throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("sqlite-baseline");
        try {
            double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
            System.out.printf("%.0f inserts/s%n", insertsPerSecond(dir.resolve("baseline.db"), seconds));
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            dir.toFile().delete();
        }
    }

    /** Inserts for {@code seconds} after a short warm-up; returns inserts per second. */
    static double insertsPerSecond(Path file, double seconds) throws Exception {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("foreign_keys", "true");
        p.setProperty("busy_timeout", "10000");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, p)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, "
                        + "password_hash TEXT, created INTEGER NOT NULL)");
                s.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, "
                        + "user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, id TEXT NOT NULL, "
                        + "stream_ids TEXT NOT NULL, type TEXT, content TEXT, time REAL, duration REAL, "
                        + "description TEXT, client_data TEXT, trashed INTEGER NOT NULL DEFAULT 0, "
                        + "created INTEGER NOT NULL, created_by TEXT NOT NULL, modified INTEGER NOT NULL, "
                        + "modified_by TEXT NOT NULL, deleted INTEGER)");
                s.execute("CREATE UNIQUE INDEX events_user_id ON events (user_id, id)");
                s.execute("CREATE INDEX events_user_time ON events (user_id, time)");
                s.execute("CREATE INDEX events_user_modified ON events (user_id, modified)");
                s.execute("CREATE TABLE event_streams (event_seq INTEGER NOT NULL REFERENCES events (seq) "
                        + "ON DELETE CASCADE, user_id INTEGER NOT NULL, stream_id TEXT NOT NULL, "
                        + "PRIMARY KEY (event_seq, stream_id))");
                s.execute("CREATE INDEX event_streams_stream ON event_streams (user_id, stream_id)");
                s.execute("INSERT INTO users (id, username, created) VALUES (1, 'bench-user', 0)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement event = c.prepareStatement("INSERT INTO events (user_id, id, stream_ids, type, "
                    + "content, time, duration, description, client_data, trashed, created, created_by, modified, "
                    + "modified_by) VALUES (1, ?, '[\"bench\"]', 'count/steps', ?, ?, NULL, NULL, NULL, 0, ?, "
                    + "'ckaccessid0000000000000', ?, 'ckaccessid0000000000000')", Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement link = c.prepareStatement(
                         "INSERT INTO event_streams (event_seq, user_id, stream_id) VALUES (?, 1, 'bench')")) {
                long n = 0;
                long warm = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() < warm) insert(c, event, link, n++);
                long t0 = System.nanoTime();
                long end = t0 + (long) (seconds * 1e9);
                long counted = 0;
                while (System.nanoTime() < end) {
                    insert(c, event, link, n++);
                    counted++;
                }
                return counted / ((System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private static void insert(Connection c, PreparedStatement event, PreparedStatement link, long n)
            throws Exception {
        long micros = System.currentTimeMillis() * 1000;
        event.setString(1, "ev" + Long.toString(n, 36) + "x" + Long.toHexString(System.nanoTime()));
        event.setString(2, Long.toString(n));
        event.setDouble(3, micros / 1e6);
        event.setLong(4, micros);
        event.setLong(5, micros);
        event.executeUpdate();
        long seq;
        try (ResultSet keys = event.getGeneratedKeys()) {
            keys.next();
            seq = keys.getLong(1);
        }
        link.setLong(1, seq);
        link.executeUpdate();
        c.commit();
    }
}
