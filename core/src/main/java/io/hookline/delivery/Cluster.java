package io.hookline.delivery;

import java.util.Collection;
import java.util.List;

/**
 * What delivery needs from the other nodes sharing its database: that they hear of committed work at once, and whether
 * this start is the service's start as webhooks see it. One process on SQLite is a cluster of one ({@link #alone}).
 */
public interface Cluster {
    /** After a commit: these webhooks may be due. This node's store is offered them; delivering nodes are woken. */
    void committed(Collection<DeliveryStore.Due> due);

    /**
     * Whether this node's delivery starts the service, so that every active webhook is told
     * {@code webhooksServiceBoot}; false for a node joining delivering nodes that run already.
     */
    boolean startsService();

    /** The messages to record for every active webhook as delivery starts. */
    default List<String> startMessages(String boot) {
        return startsService() ? List.of(boot) : List.of();
    }

    /** One process alone on its database: work is offered to its own store, and every start is the service's. */
    static Cluster alone(DeliveryStore store) {
        return new Cluster() {
            @Override
            public void committed(Collection<DeliveryStore.Due> due) {
                store.offer(due);
            }

            @Override
            public boolean startsService() {
                return true;
            }
        };
    }
}
