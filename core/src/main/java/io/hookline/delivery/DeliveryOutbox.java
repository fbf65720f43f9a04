package io.hookline.delivery;

import io.hookline.storage.ChangeSink;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transactional outbox: inside each write transaction, the changes it made become pending messages of the
 * user's active webhooks; after the commit, those webhooks are offered. Called by the single writer thread only.
 */
public final class DeliveryOutbox implements ChangeSink {
    private final DeliveryStore store;
    private List<DeliveryStore.Due> recorded = new ArrayList<>();

    public DeliveryOutbox(DeliveryStore store) {
        this.store = store;
    }

    @Override
    public void record(Handle handle, Map<Long, Set<String>> changesByUser, long now) {
        List<DeliveryStore.Due> due = new ArrayList<>();
        changesByUser.forEach((user, messages) -> {
            for (String m : messages) due.addAll(store.recordPending(handle, user, m, now));
        });
        recorded = due;
    }

    @Override
    public void committed(Map<Long, Set<String>> changesByUser) {
        store.offer(recorded);
        recorded = new ArrayList<>();
    }
}
