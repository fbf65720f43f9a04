package io.hookline.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One log line for a failed delivery that is not (yet) a deactivation, at most once a minute per webhook, naming the
 * user and the webhook: a webhook failing every few seconds must not flood the log, nor fail in silence. It names
 * neither the target's URL nor settings (they may carry tokens); the reason names at most the target's host.
 */
final class FailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(FailureLog.class);
    static final long EVERY_MS = 60_000;
    /** Webhooks remembered at once; the oldest is forgotten first (it may then log once more than a minute allows). */
    private static final int MAX_TRACKED = 10_000;

    private final Map<String, Long> lastLogged = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    /** Whether a failure of {@code webhookId} at {@code nowMs} is logged; remembers it when so. */
    synchronized boolean shouldLog(String webhookId, long nowMs) {
        Long last = lastLogged.get(webhookId);
        if (last != null && nowMs - last < EVERY_MS) return false;
        lastLogged.put(webhookId, nowMs);
        return true;
    }

    void failed(DeliveryStore.Claim c, Attempted attempted, long nowMs) {
        DeliveryTarget w = c.target();
        if (!shouldLog(w.webhookId(), nowMs)) return;
        if (attempted.held()) {
            LOG.warn("Delivery of webhook {} of user {} (type {}) held back on Hookline's side, not counted "
                    + "against it: {}", w.webhookId(), c.username(), w.type(), attempted.outcome().reason());
        } else {
            LOG.warn("Delivery of webhook {} of user {} (type {}) failed, {} failure(s) in a row of {} tolerated: {}",
                    w.webhookId(), c.username(), w.type(), c.state().currentRetries() + 1, w.maxRetries(),
                    attempted.outcome().reason());
        }
    }
}
