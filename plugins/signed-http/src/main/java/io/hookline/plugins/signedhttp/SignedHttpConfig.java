package io.hookline.plugins.signedhttp;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * This plugin's block of {@code config.yml}, {@code plugins.settings.signed-http}:
 * <pre>
 * plugins:
 *   settings:
 *     signed-http:
 *       rotationOverlap: 24 hours   # or PT24H, or 86400 (seconds)
 * </pre>
 */
public final class SignedHttpConfig {
    /** How long the previous secret keeps signing after {@code rotateSecret}, unless configured. */
    public static final Duration DEFAULT_ROTATION_OVERLAP = Duration.ofHours(24);

    private Duration rotationOverlap = DEFAULT_ROTATION_OVERLAP;
    private final List<String> unknown = new ArrayList<>();

    public SignedHttpConfig() {
    }

    public Duration rotationOverlap() {
        return rotationOverlap;
    }

    @JsonProperty("rotationOverlap")
    public void setRotationOverlap(JsonNode value) {
        this.rotationOverlap = Durations.parse("rotationOverlap", value);
    }

    // Collected rather than left to the mapper's FAIL_ON_UNKNOWN_PROPERTIES, which the server's mapper may turn off:
    // a misspelt key must not silently fall back to the default.
    @JsonAnySetter
    public void unknown(String name, Object ignored) {
        unknown.add(name);
    }

    /** Fails on keys this plugin does not know. */
    public SignedHttpConfig checked() {
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown key(s) " + unknown + " in plugins.settings.signed-http; known: "
                    + "rotationOverlap");
        }
        return this;
    }
}
