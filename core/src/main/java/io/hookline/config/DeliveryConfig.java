package io.hookline.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What this node does besides serving the API. */
public class DeliveryConfig {
    /**
     * Whether this node delivers webhooks. False makes an API-only node: it records notifications with each change
     * and leaves their delivery to the other nodes sharing its PostgreSQL database.
     */
    @JsonProperty
    private boolean enabled = true;

    public boolean isEnabled() {
        return enabled;
    }
}
