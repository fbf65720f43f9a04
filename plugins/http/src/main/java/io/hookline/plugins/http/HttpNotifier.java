package io.hookline.plugins.http;

import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.HttpOutcomes;
import io.hookline.notifier.Notification;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.NotifierContext;
import org.pf4j.Extension;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Type {@code http}: POSTs the Pryv notification body, as Pryv.io does. */
@Extension
public class HttpNotifier implements Notifier {
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json");

    private NotifierContext context;

    @Override
    public String type() {
        return "http";
    }

    @Override
    public void init(NotifierContext context) {
        this.context = context;
    }

    /** No thread waits on the receiver: the core's client answers on its I/O threads. */
    @Override
    public CompletableFuture<DeliveryOutcome> deliverAsync(Notification n, Executor blocking) {
        return context.http().postAsync(n.url(), HEADERS, n.body())
                .thenApply(response -> HttpOutcomes.classify(response, context.clock().instant()));
    }
}
