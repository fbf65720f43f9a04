package io.hookline.cluster;

import io.hookline.config.DatabaseConfig;
import io.hookline.delivery.DeliveryStore;
import io.hookline.storage.Databases;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * A delivering node's ear: {@code LISTEN} on a connection of its own, and every signal of another node offered to
 * this node's store, which wakes its engine. When the connection drops it connects again, then catches up: what was
 * signalled meanwhile is looked up in the database.
 */
final class WorkListener implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkListener.class);
    /** How long one wait for signals lasts: also how long a stop may wait for the thread. */
    private static final int WAIT_MS = 500;
    private static final long RECONNECT_PAUSE_MS = 1000;

    private final DatabaseConfig config;
    private final String node;
    private final Consumer<Collection<DeliveryStore.Due>> offer;
    private final Runnable catchUp;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    /** @param catchUp offers every webhook with pending work (after a reconnection: signals may have been missed) */
    WorkListener(DatabaseConfig config, String node, Consumer<Collection<DeliveryStore.Due>> offer, Runnable catchUp) {
        this.config = config;
        this.node = node;
        this.offer = offer;
        this.catchUp = catchUp;
    }

    /** Whether it is connected and listening now. */
    boolean listening() {
        return listening;
    }

    synchronized void start() {
        running = true;
        thread = new Thread(this, "hookline-work-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) thread.join(5000);
    }

    @Override
    public void run() {
        boolean reconnecting = false;
        while (running) {
            try (Connection c = Databases.dedicated(config, "hookline-listener")) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + WorkSignals.CHANNEL);
                }
                listening = true;
                LOG.info("Listening for work committed by other nodes");
                if (reconnecting) catchUp.run();
                reconnecting = true;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] signals = pg.getNotifications(WAIT_MS);
                    if (signals == null) continue;
                    for (PGNotification n : signals) {
                        WorkSignals.Signal signal = WorkSignals.Signal.parse(n.getParameter());
                        // This node's own work was offered to its store as it committed.
                        if (!node.equals(signal.node()) && !signal.due().isEmpty()) offer.accept(signal.due());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) break;
                LOG.warn("Not listening for work of other nodes ({}); polling only until connected again",
                        e.getMessage());
            } finally {
                listening = false;
            }
            pause();
        }
    }

    private void pause() {
        long until = System.currentTimeMillis() + RECONNECT_PAUSE_MS;
        while (running && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(100, RECONNECT_PAUSE_MS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
