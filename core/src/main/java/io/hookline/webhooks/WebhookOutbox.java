package io.hookline.webhooks;

import io.hookline.delivery.DeliveryEngine;
import io.hookline.storage.ChangeSink;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transactional outbox: inside each write transaction, the changes it made become pending messages of the
 * user's active webhooks; after the commit, those webhooks are scheduled. Called by the single writer thread only.
 */
public final class WebhookOutbox implements ChangeSink {
    private final DeliveryEngine engine;
    private List<WebhookStore.Due> recorded = new ArrayList<>();

    public WebhookOutbox(DeliveryEngine engine) {
        this.engine = engine;
    }

    @Override
    public void record(Handle handle, Map<Long, Set<String>> changesByUser, long now) {
        List<WebhookStore.Due> due = new ArrayList<>();
        changesByUser.forEach((user, messages) -> {
            for (String m : messages) due.addAll(WebhookStore.addPending(handle, user, m, now));
        });
        recorded = due;
    }

    @Override
    public void committed(Map<Long, Set<String>> changesByUser) {
        engine.offerAll(recorded);
        recorded = new ArrayList<>();
    }
}
