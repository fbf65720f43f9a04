package io.hookline.delivery;

import io.hookline.notifier.BlockedTargetException;
import io.hookline.notifier.DeliveryOutcome;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * Why an attempt failed, in one word an operator can filter on: shown in the attempt's details. A failure the
 * notifier raised is read from its exception; an outcome it returned, from the target's status.
 */
public enum AttemptError {
    /** No answer within the time limit (connecting, or the whole exchange). */
    TIMEOUT("timeout"),
    /** The connection failed: refused, reset, no route. */
    CONNECT("connect"),
    /** The target's name did not resolve. */
    DNS("dns"),
    /** The TLS handshake failed (certificate, protocol). */
    TLS("tls"),
    /** The network guard refused the target (a denied network). */
    BLOCKED("blocked"),
    /** The target answered a status below 500 that is not a success (a redirect too: redirects are not followed). */
    HTTP_4XX("http-4xx"),
    /** The target answered a 5xx status. */
    HTTP_5XX("http-5xx"),
    /** The notifier failed, or reported a failure without an answer from the target. */
    PLUGIN("plugin");

    private final String wire;

    AttemptError(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The class of an outcome a notifier returned; null for a success. */
    public static AttemptError of(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) return null;
        if (outcome.status() >= 500) return HTTP_5XX;
        if (outcome.status() > 0) return HTTP_4XX;
        return PLUGIN;
    }

    /** The class of a failure a notifier raised (or the core's time limit on it). */
    public static AttemptError of(Throwable cause) {
        if (cause instanceof BlockedTargetException) return BLOCKED;
        if (cause instanceof TimeoutException || cause instanceof InterruptedIOException) return TIMEOUT;
        if (cause instanceof UnknownHostException) return DNS;
        if (cause instanceof SSLException) return TLS;
        if (cause instanceof IOException) return CONNECT;
        return PLUGIN;
    }
}
