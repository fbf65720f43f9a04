package io.hookline.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fresh databases on one PostgreSQL server, so that every PostgreSQL run starts empty: created through the URL the
 * bench was given (a user allowed to create databases), and left to the throwaway server that holds them.
 */
final class PostgresDatabases {
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(.*)$");
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String adminUrl;

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
        Matcher m = URL.matcher(adminUrl);
        if (!m.matches()) throw new IllegalStateException(adminUrl);
        return m.group(1) + name + m.group(3);
    }
}
