package io.hookline.storage;

import io.hookline.startup.StartupFailure;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Versioned schema migrations: each file is applied once, in order, in its own transaction, and recorded in
 * {@code schema_migrations}. Each engine has its own folder ({@link Dialect#migrationFolder()}) with a file of the same
 * name per version: add both files and the name here to change the schema. On PostgreSQL the migrations run under an
 * advisory lock, so that nodes starting together apply each version once, one after the other.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    static final List<String> FILES = List.of(
            "V001__accounts_streams_events.sql",
            "V002__webhooks.sql",
            "V003__user_changes.sql",
            "V007__account_and_webhook_scopes.sql",
            "V008__event_attachments.sql",
            "V009__access_requests.sql",
            "V010__webhook_attempts.sql",
            "V011__delivery_leases.sql",
            "V012__generations.sql");

    /** The advisory lock key of the migrations on PostgreSQL ("hookline" in ASCII). */
    static final long LOCK_KEY = 0x686f6f6b6c696e65L;

    private Migrations() {
    }

    /** The migrations recorded in a database (none when it has no schema yet). */
    public static Set<String> applied(Handle h, Dialect dialect) {
        String exists = dialect == Dialect.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
        if (h.createQuery(exists).mapTo(Integer.class).one() == 0) return Set.of();
        return h.createQuery("SELECT version FROM schema_migrations").mapTo(String.class).stream()
                .collect(Collectors.toSet());
    }

    /** Applies every pending migration and returns how many were applied. */
    public static int apply(Jdbi jdbi, Dialect dialect) {
        return jdbi.withHandle(h -> {
            if (dialect != Dialect.POSTGRESQL) return applyPending(h, dialect);
            // Session-level lock: held across the per-migration transactions, released even if one fails.
            h.select("SELECT 1 FROM pg_advisory_lock(?)", LOCK_KEY).mapTo(Integer.class).one();
            try {
                return applyPending(h, dialect);
            } finally {
                h.select("SELECT pg_advisory_unlock(?)", LOCK_KEY).mapTo(Boolean.class).one();
            }
        });
    }

    private static int applyPending(Handle h, Dialect dialect) {
        h.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied BIGINT NOT NULL)");
        Set<String> done = h.createQuery("SELECT version FROM schema_migrations")
                .mapTo(String.class).stream().collect(Collectors.toSet());
        checkKnown(done);
        int applied = 0;
        for (String file : FILES) {
            if (done.contains(file)) continue;
            String sql = read(dialect, file);
            h.useTransaction(tx -> {
                tx.createScript(sql).execute();
                tx.execute("INSERT INTO schema_migrations (version, applied) VALUES (?, ?)", file,
                        System.currentTimeMillis());
            });
            LOG.info("Applied migration {}", file);
            applied++;
        }
        return applied;
    }

    /** The newest migration this binary knows: the schema version it writes. */
    public static String latest() {
        return FILES.get(FILES.size() - 1);
    }

    /**
     * Refuses a database written by a newer Hookline (a downgrade): this binary would run on a schema it does not
     * know, and a later upgrade could not tell what was done to it meanwhile.
     */
    public static void checkKnown(Set<String> applied) {
        List<String> unknown = applied.stream().filter(v -> !FILES.contains(v)).sorted().toList();
        if (unknown.isEmpty()) return;
        throw new StartupFailure("the database has schema version " + unknown.get(unknown.size() - 1)
                + ", newer than this Hookline's " + latest() + " (unknown migration(s): " + String.join(", ", unknown)
                + "); run the Hookline version that wrote it, or restore a backup taken before the upgrade");
    }

    private static String read(Dialect dialect, String file) {
        try (InputStream in = Migrations.class.getResourceAsStream("/" + dialect.migrationFolder() + file)) {
            if (in == null) throw new IllegalStateException("Missing migration " + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
