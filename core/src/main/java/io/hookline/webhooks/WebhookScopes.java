package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.StreamTree;
import io.hookline.delivery.ScopedChanges;
import io.hookline.storage.Json;
import io.hookline.storage.Touch;
import org.jdbi.v3.core.Handle;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a write's changes against the scopes of the user's scoped webhooks (inactive ones too: they catch up when
 * made active again), for the outbox. Parsed scopes are kept per webhook (at most {@link #MAX_CACHED}) and parsed
 * again only when the stored text changed, so that a write costs no JSON parsing per scoped webhook.
 */
public final class WebhookScopes implements ScopedChanges {
    /** Webhooks whose parsed scopes are kept; the least recently used is dropped first. */
    static final int MAX_CACHED = 10_000;

    private record Parsed(String text, Scopes scopes) {
    }

    private final Map<String, Parsed> parsed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
            return size() > MAX_CACHED;
        }
    };

    @Override
    public Map<String, List<String>> keysByWebhook(Handle h, Map<Long, List<Touch>> touchedByUser, long now) {
        List<Long> users = touchedByUser.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey).toList();
        List<WebhookStore.Scoped> scoped = WebhookStore.scoped(h, users, now);
        if (scoped.isEmpty()) return Map.of();
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<Long, StreamTree> trees = new HashMap<>();
        for (WebhookStore.Scoped w : scoped) {
            Scopes scopes = scopesOf(w);
            StreamTree tree = scopes.namesStreams()
                    ? trees.computeIfAbsent(w.userId(), user -> StreamTree.load(h, user)) : null;
            List<String> keys = scopes.matching(touchedByUser.get(w.userId()), tree);
            if (!keys.isEmpty()) out.put(w.id(), keys);
        }
        return out;
    }

    /** The webhook's parsed scopes: kept while its stored text is the same, parsed again once it changed. */
    private synchronized Scopes scopesOf(WebhookStore.Scoped w) {
        Parsed p = parsed.get(w.id());
        if (p == null || !p.text().equals(w.scopes())) {
            p = new Parsed(w.scopes(), Scopes.stored((ObjectNode) Json.read(w.scopes())));
            parsed.put(w.id(), p);
        }
        return p.scopes();
    }
}
