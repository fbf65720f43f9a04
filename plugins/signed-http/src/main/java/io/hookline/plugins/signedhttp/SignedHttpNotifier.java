package io.hookline.plugins.signedhttp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.HttpOutcomes;
import io.hookline.notifier.InvalidSettingsException;
import io.hookline.notifier.Notification;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.NotifierContext;
import io.hookline.notifier.SettingsChange;
import org.pf4j.Extension;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Type {@code signed-http}: POSTs the Pryv notification body, signed as Standard Webhooks do, with headers
 * {@code webhook-id} (the notification's delivery id, the same on every retry), {@code webhook-timestamp} (this
 * attempt, integer seconds) and {@code webhook-signature} ({@code v1,<base64>}, one per live secret, space-separated).
 * Settings are described in {@link SecretSettings}; configuration in {@link SignedHttpConfig}.
 */
@Extension
public class SignedHttpNotifier implements Notifier {
    private NotifierContext context;
    private Duration rotationOverlap = SignedHttpConfig.DEFAULT_ROTATION_OVERLAP;

    @Override
    public String type() {
        return "signed-http";
    }

    @Override
    public void init(NotifierContext context) {
        this.context = context;
        SignedHttpConfig config = context.config(SignedHttpConfig.class);
        // An absent block binds to null with some mappers; the defaults then apply.
        this.rotationOverlap = config == null ? SignedHttpConfig.DEFAULT_ROTATION_OVERLAP
                : config.checked().rotationOverlap();
        context.logger().info("signed-http: previous secrets keep signing for {} after a rotation", rotationOverlap);
    }

    @Override
    public ObjectNode validateSettings(SettingsChange change) throws InvalidSettingsException {
        return change.isCreation()
                ? SecretSettings.create(change.requested())
                : SecretSettings.update(change.requested(), change.current(), context.clock().instant(), rotationOverlap);
    }

    @Override
    public ObjectNode redact(ObjectNode settings) {
        return SecretSettings.redact(settings);
    }

    /** No thread waits on the receiver: the core's client answers on its I/O threads. */
    @Override
    public CompletableFuture<DeliveryOutcome> deliverAsync(Notification n, Executor blocking) {
        Instant now = context.clock().instant();
        return context.http().postAsync(n.url(), signedHeaders(n, now), n.body())
                .thenApply(response -> HttpOutcomes.classify(response, now));
    }

    private static Map<String, String> signedHeaders(Notification n, Instant now) {
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", n.deliveryId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", StandardWebhooks.signatureHeader(
                SecretSettings.signingKeys(n.settings(), now), n.deliveryId(), timestamp, n.body()));
        return headers;
    }
}
