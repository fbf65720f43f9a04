package io.hookline.cluster;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import io.hookline.config.DatabaseConfig;
import io.hookline.delivery.Cluster;
import io.hookline.delivery.DeliveryStore;
import io.hookline.storage.Database;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * One node among several on a PostgreSQL database. Every node signals the work it commits ({@link WorkSignals}); a
 * delivering node also listens for the others' signals ({@link WorkListener}) and counts among the delivering nodes
 * ({@link DeliveryNodes}), which decides whether its start is the cluster's. An API-only node
 * ({@code delivery.enabled: false}) only signals. Start it before the delivery engine.
 */
public final class PostgresCluster implements Cluster, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);

    private final DeliveryStore store;
    private final boolean delivers;
    private final String node = UUID.randomUUID().toString();
    private final WorkSignals signals;
    private final WorkListener listener;
    private final DeliveryNodes deliveryNodes;
    private volatile boolean startsService;

    /** @param delivers whether this node delivers ({@code delivery.enabled}) */
    public PostgresCluster(DatabaseConfig config, Database db, DeliveryStore store, boolean delivers) {
        this.store = store;
        this.delivers = delivers;
        this.signals = new WorkSignals(config, node);
        this.listener = new WorkListener(config, node, store::offer,
                () -> store.offer(db.read(PostgresCluster::pending)));
        this.deliveryNodes = new DeliveryNodes(config);
    }

    /** Every active webhook with pending messages, as the outbox would have offered it. */
    private static List<DeliveryStore.Due> pending(Handle h) {
        return h.createQuery("SELECT w.id, w.next_attempt_at FROM webhooks w WHERE w.state = 'active' "
                        + "AND w.id IN (SELECT webhook_id FROM webhook_pending)")
                .map((rs, ctx) -> new DeliveryStore.Due(rs.getString(1), rs.getLong(2))).list();
    }

    @Override
    public void start() {
        signals.start();
        if (!delivers) return;
        startsService = deliveryNodes.join();
        LOG.info(startsService ? "First delivering node of the cluster: webhooks are told webhooksServiceBoot"
                : "Joining the delivering nodes already running: no webhooksServiceBoot");
        listener.start();
    }

    /** After the engine started (the boot recorded): a node starting from now on joins this one. */
    public void deliveryStarted() {
        if (!delivers) return;
        try {
            deliveryNodes.started();
        } catch (SQLException e) {
            LOG.warn("Cannot share the delivering nodes' lock ({}); a node starting next may send webhooksServiceBoot "
                    + "again", e.getMessage());
        }
    }

    @Override
    public void stop() throws InterruptedException {
        listener.stop();
        signals.stop();
        deliveryNodes.close();
    }

    @Override
    public void committed(Collection<DeliveryStore.Due> due) {
        if (due.isEmpty()) return;
        store.offer(due);
        signals.add(due);
    }

    @Override
    public boolean startsService() {
        return startsService;
    }

    /** Health and metrics of this node's part in the cluster: whether it delivers, and whether it listens. */
    public void register(MetricRegistry metrics, com.codahale.metrics.health.HealthCheckRegistry health) {
        metrics.gauge("hookline.cluster.delivers", () -> () -> delivers ? 1 : 0);
        metrics.gauge("hookline.cluster.listening", () -> () -> listener.listening() ? 1 : 0);
        metrics.gauge("hookline.cluster.signalsSent", () -> signals::sent);
        health.register("cluster", new HealthCheck() {
            @Override
            protected Result check() {
                if (!delivers) {
                    return Result.healthy("API only (delivery.enabled false): no delivery engine runs on this node; "
                            + "it signals committed work to the delivering nodes");
                }
                return Result.healthy(listener.listening() ? "delivering; listening for work of other nodes"
                        : "delivering; not listening for work of other nodes yet (finding it by polling)");
            }
        });
    }
}
