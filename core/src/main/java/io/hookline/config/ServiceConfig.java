package io.hookline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;

/**
 * What {@code GET /service/info} tells apps about this service (shown to people by Pryv apps). An empty setting
 * arrives as null from {@code ${VAR:-}} and is shown as an empty string.
 */
public class ServiceConfig {
    @NotNull
    @JsonProperty
    private String name = "Hookline";

    @JsonProperty
    private String home = "";

    @JsonProperty
    private String support = "";

    @JsonProperty
    private String terms = "";

    /** Where apps find the known event types; Pryv's public list by default. */
    @NotNull
    @JsonProperty
    private String eventTypes = "https://pryv.github.io/event-types/flat.json";

    public String getName() {
        return name;
    }

    public String getHome() {
        return home == null ? "" : home;
    }

    public String getSupport() {
        return support == null ? "" : support;
    }

    public String getTerms() {
        return terms == null ? "" : terms;
    }

    public String getEventTypes() {
        return eventTypes;
    }
}
