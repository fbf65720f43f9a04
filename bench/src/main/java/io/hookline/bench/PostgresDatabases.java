package io.hookline.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fresh databases on one PostgreSQL server, so that every PostgreSQL run starts empty: created through the URL the
 * bench was given (a user allowed to create databases), and dropped when the bench ends, so that a run on an
 * operator's own server ({@code --pg-url}) leaves nothing behind.
 */
final class PostgresDatabases {
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(.*)$");
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String adminUrl;
    private final List<String> created = new ArrayList<>();

    PostgresDatabases(String adminUrl) {
        if (!URL.matcher(adminUrl).matches()) {
            throw new IllegalArgumentException("--pg-url must look like jdbc:postgresql://host:port/db?user=...");
        }
        this.adminUrl = adminUrl;
    }

    /** Creates an empty database and returns its JDBC URL (same server, same user). */
    String fresh(String purpose) throws SQLException {
        String name = "hookline_bench_" + purpose.replaceAll("[^a-z0-9]", "_") + "_" + ProcessHandle.current().pid()
                + "_" + NEXT.incrementAndGet();
        try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        synchronized (created) {
            created.add(name);
        }
        Matcher m = URL.matcher(adminUrl);
        if (!m.matches()) throw new IllegalStateException(adminUrl);
        return m.group(1) + name + m.group(3);
    }

    /**
     * Refreshes the planner's statistics of a database the bench has just filled, as autovacuum does within a minute
     * or so of a large change. Until then plans made while the tables were nearly empty stay in use on the nodes'
     * connections (a prepared statement's generic plan, a foreign-key check's): a lookup by key in a table grown from
     * a few hundred rows to thousands within seconds read the whole table each time. A measurement right after such a
     * fill would measure that moment, not the server.
     */
    static void analyze(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
    }

    /**
     * Drops the databases this run created, once its servers are stopped; {@code FORCE} ends the connections of a
     * server that did not stop. A database that cannot be dropped is named, so that the operator can drop it.
     */
    void dropAll() {
        List<String> names;
        synchronized (created) {
            names = List.copyOf(created);
            created.clear();
        }
        if (names.isEmpty()) return;
        try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
            for (String name : names) {
                try {
                    st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (SQLException e) {
                    System.err.println("bench: could not drop database " + name + ": " + e.getMessage());
                }
            }
        } catch (SQLException e) {
            System.err.println("bench: could not drop databases " + names + ": " + e.getMessage());
        }
    }
}
