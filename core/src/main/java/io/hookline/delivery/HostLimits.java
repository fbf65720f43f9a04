package io.hookline.delivery;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/**
 * Deliveries in flight per target host, bounded, so that no receiver gets a storm of connections and a host that hangs
 * holds only its own share. A webhook that finds its host full waits in that host's line; when a delivery to the host
 * ends, its place goes straight to the first in line ({@link #release} returns it, to be scheduled now), who then
 * starts without asking again. Thread-safe.
 */
final class HostLimits {
    private final int perHost;
    private final Map<String, Integer> running = new HashMap<>();
    private final Map<String, LinkedHashSet<String>> lines = new HashMap<>();
    /** Webhooks waiting in a line: webhook id → host. */
    private final Map<String, String> waitingFor = new HashMap<>();
    /** Webhooks handed a place by {@link #release}, not started yet: webhook id → host. */
    private final Map<String, String> handedOver = new HashMap<>();

    HostLimits(int perHost) {
        this.perHost = perHost;
    }

    /** Whether {@code webhookId} may deliver to {@code host} now; if not, it waits in the host's line. */
    synchronized boolean admit(String host, String webhookId) {
        if (handedOver.remove(webhookId) != null) return true;
        int n = running.getOrDefault(host, 0);
        if (n < perHost) {
            running.put(host, n + 1);
            return true;
        }
        lines.computeIfAbsent(host, h -> new LinkedHashSet<>()).add(webhookId);
        waitingFor.put(webhookId, host);
        return false;
    }

    /** Ends a delivery to {@code host}; returns the webhook that takes its place, if one is waiting. */
    synchronized Optional<String> release(String host) {
        LinkedHashSet<String> line = lines.get(host);
        if (line != null && !line.isEmpty()) {
            String next = line.iterator().next();
            line.remove(next);
            if (line.isEmpty()) lines.remove(host);
            waitingFor.remove(next);
            handedOver.put(next, host);
            return Optional.of(next);
        }
        int n = running.getOrDefault(host, 0) - 1;
        if (n > 0) running.put(host, n);
        else running.remove(host);
        return Optional.empty();
    }

    /**
     * A webhook that will not deliver after all (deleted, deactivated, nothing pending): it leaves its line, and a
     * place it was handed goes to the next in line (returned).
     */
    synchronized Optional<String> withdraw(String webhookId) {
        String waitedFor = waitingFor.remove(webhookId);
        if (waitedFor != null) {
            LinkedHashSet<String> line = lines.get(waitedFor);
            line.remove(webhookId);
            if (line.isEmpty()) lines.remove(waitedFor);
        }
        String host = handedOver.remove(webhookId);
        return host == null ? Optional.empty() : release(host);
    }

    synchronized int inFlight(String host) {
        return running.getOrDefault(host, 0);
    }

    synchronized int waiting(String host) {
        LinkedHashSet<String> line = lines.get(host);
        return line == null ? 0 : line.size();
    }
}
