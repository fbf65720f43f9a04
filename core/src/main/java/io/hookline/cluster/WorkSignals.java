package io.hookline.cluster;

import io.hookline.config.DatabaseConfig;
import io.hookline.delivery.DeliveryStore;
import io.hookline.storage.Databases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the delivering nodes of committed work with PostgreSQL's {@code NOTIFY}, from a thread and a connection of
 * its own: never inside the data transaction (whose commit it would slow and serialize), and never on a writer's
 * thread. Work committed while a signal is being sent is coalesced into the next one. A signal that cannot be sent
 * is dropped: the delivering nodes' due-time poll finds that work anyway, a little later.
 */
final class WorkSignals implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkSignals.class);
    static final String CHANNEL = "hookline_work";
    /** PostgreSQL refuses a payload of 8000 bytes or more: a longer list goes in several signals. */
    private static final int MAX_PAYLOAD = 7000;
    /** Webhooks waiting for a signal at most: past it, work waits for the poll (memory stays bounded). */
    private static final int MAX_QUEUED = 10_000;
    /** After a failed connection, signals are dropped this long before connecting again. */
    private static final long RECONNECT_PAUSE_MS = 1000;

    private final DatabaseConfig config;
    private final String node;
    private final Map<String, Long> queued = new LinkedHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running;
    private Thread thread;
    private Connection connection;
    private long pausedUntilMs;

    WorkSignals(DatabaseConfig config, String node) {
        this.config = config;
        this.node = node;
    }

    /** Queues these webhooks for the next signal. */
    synchronized void add(Collection<DeliveryStore.Due> due) {
        for (DeliveryStore.Due d : due) {
            if (queued.size() < MAX_QUEUED || queued.containsKey(d.webhookId())) {
                queued.merge(d.webhookId(), d.at(), Math::min);
            }
        }
        notifyAll();
    }

    /** Signals sent so far (each a NOTIFY of up to {@link #MAX_PAYLOAD} bytes). */
    long sent() {
        return sent.get();
    }

    synchronized void start() {
        running = true;
        thread = new Thread(this, "hookline-work-signals");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        if (thread != null) thread.join(5000);
        closeConnection();
    }

    @Override
    public void run() {
        while (true) {
            Map<String, Long> batch;
            synchronized (this) {
                while (queued.isEmpty() && running) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                // What is queued when stopping is still sent: those writes committed.
                if (queued.isEmpty()) return;
                batch = new LinkedHashMap<>(queued);
                queued.clear();
            }
            send(batch);
        }
    }

    private void send(Map<String, Long> batch) {
        long nowMs = System.currentTimeMillis();
        if (nowMs < pausedUntilMs) return;
        try {
            if (connection == null) connection = Databases.dedicated(config, "hookline-signals");
            try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                for (String payload : payloads(node, batch)) {
                    notify.setString(1, CHANNEL);
                    notify.setString(2, payload);
                    notify.execute();
                    sent.incrementAndGet();
                }
            }
        } catch (SQLException e) {
            LOG.warn("Cannot signal committed work to the delivering nodes ({}); they find it by polling", e.getMessage());
            closeConnection();
            pausedUntilMs = nowMs + RECONNECT_PAUSE_MS;
        }
    }

    private void closeConnection() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // it is being dropped
        }
        connection = null;
    }

    /** The signals for {@code due}: each names the sending node, then one webhook and due time per line. */
    static List<String> payloads(String node, Map<String, Long> due) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder(node);
        for (Map.Entry<String, Long> e : due.entrySet()) {
            String line = "\n" + e.getKey() + " " + e.getValue();
            if (b.length() + line.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD && b.length() > node.length()) {
                out.add(b.toString());
                b = new StringBuilder(node);
            }
            b.append(line);
        }
        if (b.length() > node.length()) out.add(b.toString());
        return out;
    }

    /** What a signal says: who sent it and which webhooks may be due. */
    record Signal(String node, List<DeliveryStore.Due> due) {
        static Signal parse(String payload) {
            String[] lines = payload.split("\n");
            List<DeliveryStore.Due> due = new ArrayList<>(lines.length - 1);
            for (int i = 1; i < lines.length; i++) {
                int space = lines[i].lastIndexOf(' ');
                if (space <= 0) continue;
                try {
                    due.add(new DeliveryStore.Due(lines[i].substring(0, space),
                            Long.parseLong(lines[i].substring(space + 1))));
                } catch (NumberFormatException ignored) {
                    // not a line this version writes
                }
            }
            return new Signal(lines[0], due);
        }
    }
}
