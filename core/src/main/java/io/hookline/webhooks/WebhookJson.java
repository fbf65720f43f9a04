package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.ChangeClock;

/** Renders webhooks as the API shows them: the 15 Pryv fields plus {@code type} and {@code settings}. */
public final class WebhookJson {
    private WebhookJson() {
    }

    public static ObjectNode render(Webhook w) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", w.id());
        o.put("accessId", w.accessId());
        o.put("url", w.url());
        o.put("type", w.type());
        o.set("settings", w.settings());
        o.put("minIntervalMs", w.minIntervalMs());
        o.put("maxRetries", w.maxRetries());
        o.put("currentRetries", w.currentRetries());
        o.put("state", w.state().wire());
        o.put("runCount", w.runCount());
        o.put("failCount", w.failCount());
        o.putObject("lastRun").put("status", w.lastRunStatus()).put("timestamp", ChangeClock.toSeconds(w.lastRunTime()));
        o.set("runs", w.runs());
        return w.tracking().render(o);
    }
}
