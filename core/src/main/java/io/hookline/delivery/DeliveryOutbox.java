package io.hookline.delivery;

import io.hookline.storage.ChangeSink;
import io.hookline.storage.Touch;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The transactional outbox: inside each write transaction, the changes it made become pending messages of the
 * user's webhooks (for scoped webhooks, the keys of the scopes the changes match); after the commit, the active ones
 * among them are offered, to this node and to the others ({@link Cluster#committed}). A transaction may hold the
 * changes of a group of writes: each is recorded once.
 *
 * <p>Concurrent writers (PostgreSQL) lock the rows in one global order, so that they form no cycle among themselves nor
 * with a finishing delivery ({@link PostgresDeliveryStore#finish}): first every {@code user_changes} row of the
 * transaction, by user then message; then the pending rows of plain webhooks, by user, message, webhook; then those of
 * scoped webhooks, by webhook then key, whatever their user.
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
        SortedMap<Long, SortedSet<String>> sorted = new TreeMap<>();
        changesByUser.forEach((user, messages) -> sorted.put(user, new TreeSet<>(messages)));
        // Read (no lock) before the first user_changes row is taken: every statement run while it is held keeps the
        // user's writes on other nodes waiting.
        Map<String, List<String>> scopedKeys = new TreeMap<>(scoped.keysByWebhook(handle, touchedByUser, now));
        List<DeliveryStore.Due> due = new ArrayList<>(store.recordChanges(handle, sorted, now));
        scopedKeys.forEach((webhook, keys) -> store.recordPending(handle, webhook, keys, now).ifPresent(due::add));
        return () -> cluster.committed(due);
    }
}
