package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.delivery.DeliveryState;
import io.hookline.storage.ChangeClock;

/** Renders webhooks as the API shows them: the 15 Pryv fields plus {@code type} and {@code settings}. */
public final class WebhookJson {
    private WebhookJson() {
    }

    /** The webhook and where its delivery stands ({@link DeliveryState#initial()} when none is known). */
    public static ObjectNode render(Webhook w, DeliveryState d) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", w.id());
        o.put("accessId", w.accessId());
        o.put("url", w.url());
        o.put("type", w.type());
        o.set("settings", w.settings());
        o.put("minIntervalMs", w.minIntervalMs());
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
