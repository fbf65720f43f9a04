package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.delivery.DeliveryTarget;
import io.hookline.storage.Tracking;

/**
 * What a webhook is: whose, where it delivers, how (its notifier {@code type} and settings), which changes it is told
 * of ({@code scopes}, null for every change), its limits and whether it is active. Where its delivery stands is
 * delivery's ({@link io.hookline.delivery.DeliveryState}).
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
        State state,
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

    /**
     * The webhook after a client's update of its state (null: unchanged), settings and scopes, by the access
     * {@code by}.
     */
    public Webhook withClientUpdate(State newState, ObjectNode newSettings, ObjectNode newScopes, String by, long now) {
        return new Webhook(id, userId, accessId, url, type, newSettings, newScopes, minIntervalMs, maxRetries,
                newState != null ? newState : state, tracking.modifiedBy(by, now));
    }

    /** The webhook as delivery sees it. */
    public DeliveryTarget target() {
        return new DeliveryTarget(id, userId, url, type, settings, minIntervalMs, maxRetries, isActive());
    }
}
