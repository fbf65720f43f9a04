package io.hookline.delivery;

import io.hookline.storage.ChangeSink;
import io.hookline.storage.Touch;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transactional outbox: inside each write transaction, the changes it made become pending messages of the
 * user's webhooks (for scoped webhooks, the keys of the scopes the changes match); after the commit, the active ones
 * among them are offered. Called by the single writer thread only.
 */
public final class DeliveryOutbox implements ChangeSink {
    private final DeliveryStore store;
    private final ScopedChanges scoped;
    private List<DeliveryStore.Due> recorded = new ArrayList<>();

    public DeliveryOutbox(DeliveryStore store, ScopedChanges scoped) {
        this.store = store;
        this.scoped = scoped;
    }

    @Override
    public void record(Handle handle, Map<Long, Set<String>> changesByUser, Map<Long, List<Touch>> touchedByUser,
                       long now) {
        List<DeliveryStore.Due> due = new ArrayList<>();
        changesByUser.forEach((user, messages) -> {
            for (String m : messages) due.addAll(store.recordPending(handle, user, m, now));
            scoped.keysByWebhook(handle, user, touchedByUser.getOrDefault(user, List.of()), now).forEach((webhook, keys) ->
                    store.recordPending(handle, webhook, keys, now).ifPresent(due::add));
        });
        recorded = due;
    }

    @Override
    public void committed(Map<Long, Set<String>> changesByUser) {
        store.offer(recorded);
        recorded = new ArrayList<>();
    }
}
