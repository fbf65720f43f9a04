package io.hookline.plugins.http;

import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.HttpOutcomes;
import io.hookline.notifier.Notification;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.NotifierContext;
import org.pf4j.Extension;

import java.util.Map;

/** Type {@code http}: POSTs the Pryv notification body, as Pryv.io does. */
@Extension
public class HttpNotifier implements Notifier {
    private NotifierContext context;

    @Override
    public String type() {
        return "http";
    }

    @Override
    public void init(NotifierContext context) {
        this.context = context;
    }

    @Override
    public DeliveryOutcome deliver(Notification n) throws Exception {
        var response = context.http().post(n.url(), Map.of("Content-Type", "application/json"), n.body());
        return HttpOutcomes.classify(response, context.clock().instant());
    }
}
