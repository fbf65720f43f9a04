package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.Tracking;

/**
 * A webhook as stored. Times are microseconds since the epoch; {@code runs} is newest first; {@code scopes} is null
 * for a webhook told of every change.
 */
public record Webhook(
        String id,
        long userId,
        String accessId,
        String url,
        String type,
        ObjectNode settings,
        ObjectNode scopes,
        long minIntervalMs,
        int maxRetries,
        int currentRetries,
        State state,
        long runCount,
        long failCount,
        int lastRunStatus,
        long lastRunTime,
        ArrayNode runs,
        long nextAttemptAt,
        String deliveryId,
        Tracking tracking) {

    public enum State {
        ACTIVE("active"), INACTIVE("inactive");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static State fromWire(String s) {
            return "active".equals(s) ? ACTIVE : "inactive".equals(s) ? INACTIVE : null;
        }
    }

    public boolean isActive() {
        return state == State.ACTIVE;
    }
}
