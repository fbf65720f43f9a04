package io.hookline.webhooks;

import io.hookline.delivery.DeliveryEngine;
import io.hookline.storage.ChangeSink;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The transactional outbox: inside each write transaction, the changes it made become pending messages of the
 * user's active webhooks; after the commit, those webhooks are scheduled. Users and messages are taken in sorted
 * order, so that concurrent writers (PostgreSQL) lock the {@code user_changes} rows in one order.
 */
public final class WebhookOutbox implements ChangeSink {
    private final DeliveryEngine engine;

    public WebhookOutbox(DeliveryEngine engine) {
        this.engine = engine;
    }

    @Override
    public Runnable record(Handle handle, Map<Long, Set<String>> changesByUser, long now) {
        List<WebhookStore.Due> due = new ArrayList<>();
        new TreeMap<>(changesByUser).forEach((user, messages) -> {
            for (String m : new TreeSet<>(messages)) due.addAll(WebhookStore.addPending(handle, user, m, now));
        });
        return () -> engine.offerAll(due);
    }
}
