package io.hookline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.config.WebhooksConfig;
import io.hookline.data.AttachmentFiles;
import io.hookline.data.EventStore;
import io.hookline.delivery.InstalledTypes;
import io.hookline.edge.Meta;
import io.hookline.notifier.OutboundHttp;
import io.hookline.notifier.host.Notifiers;
import io.hookline.outbound.GuardedHttpClient;
import io.hookline.outbound.NetworkGuard;
import io.hookline.startup.StartupFailure;
import io.hookline.storage.Database;
import io.hookline.storage.DatabaseLock;
import io.hookline.storage.Databases;
import io.hookline.storage.Dialect;
import io.hookline.storage.Migrations;
import io.hookline.storage.OpenFailures;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the server verifies before serving, beyond the configuration file itself, each failure one line for the
 * operator. The server runs these steps as it starts; the {@code check} command runs all of them without serving
 * and without changing the database.
 */
final class Preflight {
    private Preflight() {
    }

    static NetworkGuard networkGuard(HooklineConfiguration config) {
        try {
            return new NetworkGuard(config.getNetwork().allowedCidrs());
        } catch (IllegalArgumentException e) {
            throw new StartupFailure("network.allowedNetworks (HOOKLINE_ALLOWED_NETWORKS): " + e.getMessage(), e);
        }
    }

    /** How many events with attachments the start-up check samples. */
    private static final int ATTACHMENT_SAMPLE = 20;

    /** The attachments folder holds the files the database describes ({@link AttachmentFiles#holdsAnyOf}). */
    static void attachmentsFolder(Database db, AttachmentFiles files) {
        if (files.holdsAnyOf(db.read(h -> EventStore.someAttachments(h, ATTACHMENT_SAMPLE)))) return;
        throw new StartupFailure("attachments.directory (HOOKLINE_ATTACHMENTS_DIR): " + files.directory()
                + " holds none of the attached files the database describes; give this node the folder they are in "
                + "(with several nodes, one folder that every node shares)");
    }

    static GuardedHttpClient http(WebhooksConfig wc, NetworkGuard guard) {
        return new GuardedHttpClient(guard, wc.getConnectTimeout().toJavaDuration(),
                wc.getRequestTimeout().toJavaDuration(), wc.getMaxInFlight(), wc.getMaxInFlightPerHost(),
                "Hookline/" + Meta.API_VERSION + " (webhooks)");
    }

    static Notifiers notifiers(HooklineConfiguration config, OutboundHttp http, Clock clock, ObjectMapper json) {
        try {
            return Notifiers.load(pluginsDirectory(config), http, clock, json,
                    config.getPlugins().getSettings());
        } catch (IllegalStateException e) {
            throw new StartupFailure("plugins.directory (HOOKLINE_PLUGINS_DIR): " + e.getMessage(), e);
        }
    }

    /** Whether this node delivers; only a node on PostgreSQL may leave that to others. */
    static boolean delivers(HooklineConfiguration config) {
        boolean delivers = config.getDelivery().isEnabled();
        if (!delivers && !config.getDatabase().isPostgresql()) {
            throw new StartupFailure("delivery.enabled (HOOKLINE_DELIVERY_ENABLED) is false, but on SQLite this server "
                    + "is the only one: set it to true, or share a PostgreSQL database (database.url) with nodes that "
                    + "deliver");
        }
        return delivers;
    }

    static Path pluginsDirectory(HooklineConfiguration config) {
        return Path.of(config.getPlugins().getDirectory());
    }

    /** {@code check}: every step the server takes before serving, read-only; returns what it found. */
    static List<String> check(HooklineConfiguration config, ObjectMapper json) throws Exception {
        List<String> found = new ArrayList<>();
        NetworkGuard guard = networkGuard(config);
        found.add(delivers(config) ? "delivery: this node delivers webhooks"
                : "delivery: API only, other nodes deliver (delivery.enabled false)");
        Map<String, Long> active = config.getDatabase().isPostgresql() ? checkPostgresql(config, found)
                : checkSqlite(config, found);
        GuardedHttpClient http = http(config.getWebhooks(), guard);
        try (Notifiers notifiers = notifiers(config, http, Clock.systemUTC(), json)) {
            InstalledTypes.requireAll(active, notifiers, pluginsDirectory(config));
            found.add("plugins " + pluginsDirectory(config).toAbsolutePath() + ": types " + notifiers.types()
                    + "; active webhooks by type " + active);
        } finally {
            http.stop();
        }
        return found;
    }

    private static Map<String, Long> checkSqlite(HooklineConfiguration config, List<String> found) {
        String path = config.getDatabase().getPath();
        Path db = Path.of(path).toAbsolutePath();
        DatabaseLock.acquire(path).close();
        if (!Files.isRegularFile(db)) {
            found.add("database " + db + ": does not exist yet; it will be created");
            return Map.of();
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setReadOnly(true);
        Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + path, sqlite.toProperties());
        Set<String> applied;
        Map<String, Long> active = Map.of();
        try {
            applied = jdbi.withHandle(h -> Migrations.applied(h, Dialect.SQLITE));
            Migrations.checkKnown(applied);
            if (!applied.isEmpty()) active = jdbi.withHandle(InstalledTypes::activeByType);
        } catch (RuntimeException e) {
            throw OpenFailures.of(path, e);
        }
        found.add("database " + db + ": " + applied.size() + " migration(s) applied (this Hookline knows "
                + Migrations.latest() + "), not in use by another server");
        return active;
    }

    /** Reachable with these settings, and not written by a newer Hookline; other nodes may be using it. */
    private static Map<String, Long> checkPostgresql(HooklineConfiguration config, List<String> found) {
        Jdbi jdbi = Databases.direct(config.getDatabase());
        Set<String> applied = jdbi.withHandle(h -> Migrations.applied(h, Dialect.POSTGRESQL));
        Migrations.checkKnown(applied);
        Map<String, Long> active = applied.isEmpty() ? Map.of() : jdbi.withHandle(InstalledTypes::activeByType);
        found.add("database " + Databases.describe(config.getDatabase()) + ": " + applied.size()
                + " migration(s) applied (this Hookline knows " + Migrations.latest() + ")");
        return active;
    }
}
