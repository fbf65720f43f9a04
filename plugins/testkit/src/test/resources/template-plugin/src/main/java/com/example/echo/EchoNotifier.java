package com.example.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.HttpOutcomes;
import io.hookline.notifier.InvalidSettingsException;
import io.hookline.notifier.Notification;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.NotifierContext;
import io.hookline.notifier.SettingsChange;
import org.pf4j.Extension;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Type "template-echo": POSTs the notification body unchanged, naming the messages in a header, with the webhook's
 * optional "tag" setting in another.
 */
@Extension
public class EchoNotifier implements Notifier {
    private NotifierContext context;

    @Override
    public String type() {
        return "template-echo";
    }

    @Override
    public void init(NotifierContext context) {
        this.context = context;
    }

    @Override
    public ObjectNode validateSettings(SettingsChange change) throws InvalidSettingsException {
        // Start from what is stored (null at creation) and apply what the client sent.
        ObjectNode settings = change.current() != null ? change.current().deepCopy() : change.emptyObject();
        if (change.requested() != null) {
            for (Map.Entry<String, JsonNode> field : change.requested().properties()) {
                if (!field.getKey().equals("tag")) {
                    throw new InvalidSettingsException("unknown setting \"" + field.getKey() + "\"; known: tag");
                }
                JsonNode tag = field.getValue();
                if (!tag.isTextual() || tag.asText().isBlank() || tag.asText().length() > 100) {
                    throw new InvalidSettingsException("tag must be a string of 1 to 100 characters");
                }
                settings.put("tag", tag.asText());
            }
        }
        return settings;
    }

    @Override
    public DeliveryOutcome deliver(Notification n) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Echo-Messages", String.join(",", n.messages()));
        if (n.settings().hasNonNull("tag")) {
            headers.put("X-Echo-Tag", n.settings().get("tag").asText());
        }
        var response = context.http().post(n.url(), headers, n.body());
        return HttpOutcomes.classify(response, context.clock().instant());
    }
}
