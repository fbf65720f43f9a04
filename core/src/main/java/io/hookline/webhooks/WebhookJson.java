package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.delivery.DeliveryState;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.ChangeClock;

/**
 * Renders webhooks as the API shows them: Pryv's fields, plus {@code type} and {@code settings} only for a webhook
 * that uses another notifier than {@code http} or has settings (Pryv clients check webhooks against a closed schema),
 * and {@code scopes} when set.
 */
public final class WebhookJson {
    private WebhookJson() {
    }

    /**
     * The webhook and where its delivery stands ({@link DeliveryState#initial()} when none is known), with
     * {@code effectiveMinIntervalMs} when its notifier makes the interval in force longer than its own.
     */
    public static ObjectNode render(Webhook w, DeliveryState d, long effectiveMinIntervalMs) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", w.id());
        o.put("accessId", w.accessId());
        o.put("url", w.url());
        if (!Notifiers.DEFAULT_TYPE.equals(w.type()) || (w.settings() != null && !w.settings().isEmpty())) {
            o.put("type", w.type());
            o.set("settings", w.settings());
        }
        if (w.scopes() != null) o.set("scopes", w.scopes());
        o.put("minIntervalMs", w.minIntervalMs());
        if (effectiveMinIntervalMs != w.minIntervalMs()) o.put("effectiveMinIntervalMs", effectiveMinIntervalMs);
        o.put("maxRetries", w.maxRetries());
        o.put("currentRetries", d.currentRetries());
        o.put("state", w.state().wire());
        o.put("runCount", d.runCount());
        o.put("failCount", d.failCount());
        o.putObject("lastRun").put("status", d.lastRunStatus()).put("timestamp", ChangeClock.toSeconds(d.lastRunTime()));
        o.set("runs", d.runs());
        return w.tracking().render(o);
    }
}
