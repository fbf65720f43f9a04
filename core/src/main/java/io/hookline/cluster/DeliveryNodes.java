package io.hookline.cluster;

import io.hookline.config.DatabaseConfig;
import io.hookline.startup.StartupFailure;
import io.hookline.storage.Databases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The delivering nodes of a PostgreSQL database, as a session-level advisory lock: each running delivering node holds
 * it shared on a connection of its own, and the database drops it when the node's session ends (a stop, a crash, a
 * kill). A node that starts while no delivering node runs takes it exclusively: its start is a <em>cluster start</em>,
 * the one that tells every webhook {@code webhooksServiceBoot}. It keeps the lock exclusive until its delivery has
 * started (the boot recorded), so that a node starting at the same moment waits and then joins it; then it holds it
 * shared like the others. A node restarting while others deliver (a rolling restart) joins without a boot.
 */
final class DeliveryNodes implements AutoCloseable {
    /** The lock's key: "hkdeliv" in ASCII, apart from the migrations' key. */
    static final long LOCK_KEY = 0x686b64656c6976L;

    private final DatabaseConfig config;
    private Connection connection;
    private boolean exclusive;

    DeliveryNodes(DatabaseConfig config) {
        this.config = config;
    }

    /** Joins the delivering nodes; returns whether none was running (this start is the cluster's start). */
    synchronized boolean join() {
        try {
            connection = Databases.dedicated(config, "hookline-delivery-node");
            exclusive = lock("pg_try_advisory_lock");
            // Another node holds it: shared by running nodes (granted at once), or exclusive by one starting now.
            if (!exclusive) lock("pg_advisory_lock_shared");
            return exclusive;
        } catch (SQLException e) {
            close();
            throw new StartupFailure("database.url (HOOKLINE_DB_URL): cannot join the delivering nodes: "
                    + e.getMessage(), e);
        }
    }

    /** This node's delivery has started: from now on it holds the lock shared, like every running delivering node. */
    synchronized void started() throws SQLException {
        if (!exclusive) return;
        lock("pg_advisory_lock_shared");
        lock("pg_advisory_unlock");
        exclusive = false;
    }

    private boolean lock(String function) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT " + function + "(?)::text")) {
            s.setLong(1, LOCK_KEY);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return !"false".equals(rs.getString(1));
            }
        }
    }

    /** Leaves: the session ends and with it the lock. */
    @Override
    public synchronized void close() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing drops the session either way
        }
        connection = null;
    }
}
