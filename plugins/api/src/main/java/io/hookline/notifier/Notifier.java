package io.hookline.notifier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pf4j.ExtensionPoint;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * How a webhook's notifications travel. Hookline picks the notifier whose {@link #type()} the webhook names
 * ({@code "http"} by default) and calls {@link #deliverAsync} each time the webhook is due. Implement exactly one
 * of the two delivery methods: {@link #deliver(Notification)}, blocking and simplest, which the default
 * {@code deliverAsync} runs on a pool; or {@link #deliverAsync}, when the notifier's I/O can wait without a thread.
 *
 * <p>Implement it in a PF4J plugin, annotate the class with {@link org.pf4j.Extension}, and compile against this
 * module with {@code provided} scope. One instance serves every webhook of its type, from several threads at once:
 * keep no per-webhook state in fields unless it is thread-safe.
 *
 * <p>Contract with the core:
 * <ul>
 *   <li>The core (and the test kit) call only {@link #deliverAsync}, whose default runs {@link #deliver} on a pool
 *   for blocking work. Override {@code deliverAsync} instead of {@code deliver} when the notifier's I/O can wait
 *   without a thread ({@link OutboundHttp#postAsync}): then a thousand slow receivers cost no thread at all.</li>
 *   <li>Deliveries are made for one webhook at a time (never two deliveries of one webhook at once), under a time
 *   limit: a delivery that runs past it is abandoned and counted as a failed run.</li>
 *   <li>A thrown exception (or a future completed exceptionally) counts as a failed run to retry (status 0, the
 *   exception's message as reason).</li>
 *   <li>Outbound HTTP must go through {@link NotifierContext#http()}, which enforces timeouts and the network guard.</li>
 * </ul>
 */
public interface Notifier extends ExtensionPoint {

    /** The webhook {@code type} this notifier delivers, e.g. {@code "http"}; unique among installed plugins. */
    String type();

    /** Called once, after loading and before any other call, with what the core lends this notifier. */
    default void init(NotifierContext context) {
    }

    /**
     * Checks and normalises a webhook's {@code settings} at create and update, before anything is stored.
     * Generate secrets here when needed. {@link SettingsChange#requested()} is null when the client sent no
     * settings; at update, returning the stored settings (possibly tidied, e.g. expired entries dropped) is then right.
     *
     * @return the settings to store (never null; an empty object when the notifier needs none)
     * @throws InvalidSettingsException with a message for the client, answered as 400 {@code invalid-parameters-format}
     */
    default ObjectNode validateSettings(SettingsChange change) throws InvalidSettingsException {
        if (change.requested() != null && change.requested().size() > 0) {
            throw new InvalidSettingsException("type \"" + type() + "\" takes no settings");
        }
        return change.current() != null ? change.current() : change.emptyObject();
    }

    /**
     * The settings as shown to anyone but the webhook's owner: the core calls it where operators list webhooks
     * across accounts (the owning access and the account's personal accesses read the stored settings, which they
     * need to verify signatures). Drop or mask every secret. The default shows the settings unchanged, which is right
     * only for notifiers without secrets.
     */
    default ObjectNode redact(ObjectNode settings) {
        return settings;
    }

    /**
     * Whether the webhook's {@code url} is a network target that the core must check (absolute http(s), not in a
     * denied network). A notifier whose url is only a label (such as {@code log}) returns false.
     */
    default boolean urlIsNetworkTarget() {
        return true;
    }

    /** The shortest time between two deliveries of one webhook this notifier accepts (Slack: one second). */
    default Duration minInterval() {
        return Duration.ZERO;
    }

    /**
     * Called once when the server stops, after the last delivery: release what {@link #init} acquired (threads,
     * clients, files). The default does nothing.
     */
    default void close() {
    }

    /**
     * Delivers one notification and says how it went; blocking is fine here. Implement this, or override
     * {@link #deliverAsync} instead: the default of one calls the other, so a notifier that implements neither fails
     * every delivery with a clear reason.
     */
    default DeliveryOutcome deliver(Notification notification) throws Exception {
        throw new UnsupportedOperationException("Notifier \"" + type() + "\" implements neither deliver nor "
                + "deliverAsync");
    }

    /**
     * Starts delivering one notification; the future completes with how it went. This is the one method the core
     * and the test kit call.
     *
     * <p>The default runs {@link #deliver} on {@code blocking}, a pool the core keeps for blocking work. Override it
     * (and leave {@code deliver} alone) when the delivery can wait on the network without holding a thread,
     * typically by composing on {@link OutboundHttp#postAsync}. Do not block the calling thread in an override: it is
     * the core's delivery scheduler.
     *
     * @param notification what to deliver
     * @param blocking     where blocking work may run
     * @return the outcome; a future completed exceptionally counts as a failed run to retry
     */
    default CompletableFuture<DeliveryOutcome> deliverAsync(Notification notification, Executor blocking) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return deliver(notification);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, blocking);
    }
}
