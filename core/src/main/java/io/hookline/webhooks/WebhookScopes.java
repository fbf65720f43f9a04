package io.hookline.webhooks;

import io.hookline.auth.StreamTree;
import io.hookline.delivery.ScopedChanges;
import io.hookline.storage.Touch;
import org.jdbi.v3.core.Handle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Matches a write's changes against the scopes of the user's scoped webhooks, for the outbox. */
public final class WebhookScopes implements ScopedChanges {
    @Override
    public Map<String, List<String>> keysByWebhook(Handle h, long userId, List<Touch> touched) {
        List<WebhookStore.Scoped> scoped = WebhookStore.scoped(h, userId);
        if (scoped.isEmpty()) return Map.of();
        Map<String, List<String>> out = new LinkedHashMap<>();
        StreamTree tree = null;
        for (WebhookStore.Scoped w : scoped) {
            Scopes scopes = Scopes.stored(w.scopes());
            if (tree == null && scopes.namesStreams()) tree = StreamTree.load(h, userId);
            List<String> keys = scopes.matching(touched, tree);
            if (!keys.isEmpty()) out.put(w.id(), keys);
        }
        return out;
    }
}
