package io.hookline.plugins.slack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.Notification;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.NotifierContext;
import org.pf4j.Extension;

import java.time.Duration;
import java.util.Map;

/**
 * Type {@code slack}: posts {@code {"text": "New data for alice: events changed, streams changed."}} to the webhook's
 * url, a Slack incoming-webhook URL ({@code https://hooks.slack.com/services/...}), which decides the channel.
 * Takes no settings. Never delivers more than once a second per webhook, the rate Slack accepts; Slack's answers are
 * read by {@link SlackAnswers}.
 */
@Extension
public class SlackNotifier implements Notifier {
    private static final Duration SLACK_RATE = Duration.ofSeconds(1);

    private NotifierContext context;

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public void init(NotifierContext context) {
        this.context = context;
    }

    @Override
    public Duration minInterval() {
        return SLACK_RATE;
    }

    @Override
    public DeliveryOutcome deliver(Notification n) throws Exception {
        ObjectNode message = context.json().createObjectNode();
        message.put("text", SlackText.of(n.username(), n.messages()));
        byte[] body = context.json().writeValueAsBytes(message);
        var response = context.http().post(n.url(), Map.of("Content-Type", "application/json; charset=utf-8"), body);
        return SlackAnswers.classify(response, context.clock().instant());
    }
}
