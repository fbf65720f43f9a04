package io.hookline.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;

import java.time.Clock;

/** What the core lends a notifier at {@link Notifier#init}. */
public interface NotifierContext {

    /** The id of the plugin this notifier comes from ({@code Plugin-Id} of its manifest). */
    String pluginId();

    /** The shared outbound HTTP client: timeouts, no redirects, Hookline's User-Agent, and the network guard. */
    OutboundHttp http();

    /** The clock to read time from (tests may fix it). */
    Clock clock();

    /** The service's JSON mapper. */
    ObjectMapper json();

    /** A logger named after the plugin, routed by the service's {@code logging} configuration. */
    Logger logger();

    /** This plugin's block of {@code config.yml} ({@code plugins.settings.<plugin id>}); an empty object if none. */
    JsonNode config();

    /**
     * This plugin's block converted to a type of its own (Jackson binding with {@link #json()}). Portable bindings
     * use simple types (strings, numbers, {@code JsonNode}) and reject unknown keys themselves (for instance with a
     * {@code @JsonAnySetter}): the server's mapper has extra modules registered and may ignore unknown properties,
     * whereas the test kit's mapper is a plain one.
     *
     * @throws IllegalArgumentException when the block does not bind; thrown from {@link Notifier#init}, it stops
     *                                  start-up with a message naming the plugin
     */
    default <T> T config(Class<T> type) {
        try {
            return json().treeToValue(config(), type);
        } catch (Exception e) {
            throw new IllegalArgumentException("Invalid plugin configuration: " + e.getMessage(), e);
        }
    }
}
