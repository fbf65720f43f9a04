package io.hookline.webhooks;

import io.hookline.data.StreamTree;
import io.hookline.delivery.DeliveryEngine;
import io.hookline.storage.ChangeSink;
import io.hookline.storage.Touch;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transactional outbox: inside each write transaction, the changes it made become pending messages of the
 * user's active webhooks (for scoped webhooks, the keys of the scopes the changes match); after the commit, those
 * webhooks are scheduled. Called by the single writer thread only.
 */
public final class WebhookOutbox implements ChangeSink {
    private final DeliveryEngine engine;
    private List<WebhookStore.Due> recorded = new ArrayList<>();

    public WebhookOutbox(DeliveryEngine engine) {
        this.engine = engine;
    }

    @Override
    public void record(Handle handle, Map<Long, Set<String>> changesByUser, Map<Long, List<Touch>> touchedByUser,
                       long now) {
        List<WebhookStore.Due> due = new ArrayList<>();
        changesByUser.forEach((user, messages) -> {
            for (String m : messages) due.addAll(WebhookStore.addPending(handle, user, m, now));
            List<WebhookStore.Scoped> scoped = WebhookStore.activeScoped(handle, user);
            if (!scoped.isEmpty()) {
                recordScoped(handle, user, scoped, touchedByUser.getOrDefault(user, List.of()), now, due);
            }
        });
        recorded = due;
    }

    private static void recordScoped(Handle handle, long user, List<WebhookStore.Scoped> scoped, List<Touch> touched,
                                     long now, List<WebhookStore.Due> due) {
        StreamTree tree = null;
        for (WebhookStore.Scoped w : scoped) {
            Scopes scopes = Scopes.stored(w.scopes());
            if (tree == null && scopes.namesStreams()) tree = StreamTree.load(handle, user);
            List<String> keys = scopes.matching(touched, tree);
            if (!keys.isEmpty()) WebhookStore.addScopedPending(handle, w.id(), keys, now).ifPresent(due::add);
        }
    }

    @Override
    public void committed(Map<Long, Set<String>> changesByUser) {
        engine.offerAll(recorded);
        recorded = new ArrayList<>();
    }
}
