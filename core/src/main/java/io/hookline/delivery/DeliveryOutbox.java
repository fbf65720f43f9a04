package io.hookline.delivery;

import io.hookline.storage.ChangeSink;
import io.hookline.storage.Touch;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The transactional outbox: inside each write transaction, the changes it made become pending messages of the
 * user's webhooks (for scoped webhooks, the keys of the scopes the changes match); after the commit, the active ones
 * among them are offered, to this node and to the others ({@link Cluster#committed}). Users and messages are taken
 * in sorted order, so that concurrent writers (PostgreSQL) lock the {@code user_changes} rows in one order.
 */
public final class DeliveryOutbox implements ChangeSink {
    private final DeliveryStore store;
    private final ScopedChanges scoped;
    private final Cluster cluster;

    public DeliveryOutbox(DeliveryStore store, ScopedChanges scoped, Cluster cluster) {
        this.store = store;
        this.scoped = scoped;
        this.cluster = cluster;
    }

    @Override
    public Runnable record(Handle handle, Map<Long, Set<String>> changesByUser, Map<Long, List<Touch>> touchedByUser,
                           long now) {
        List<DeliveryStore.Due> due = new ArrayList<>();
        new TreeMap<>(changesByUser).forEach((user, messages) -> {
            for (String m : new TreeSet<>(messages)) due.addAll(store.recordPending(handle, user, m, now));
            scoped.keysByWebhook(handle, user, touchedByUser.getOrDefault(user, List.of()), now).forEach((webhook, keys) ->
                    store.recordPending(handle, webhook, keys, now).ifPresent(due::add));
        });
        return () -> cluster.committed(due);
    }
}
