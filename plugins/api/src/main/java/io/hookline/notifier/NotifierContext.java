package io.hookline.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;

import java.time.Clock;

/** What the core lends a notifier at {@link Notifier#init}. */
public interface NotifierContext {

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

    /** This plugin's block converted to a type of its own (Jackson binding). */
    default <T> T config(Class<T> type) {
        try {
            return json().treeToValue(config(), type);
        } catch (Exception e) {
            throw new IllegalArgumentException("Invalid plugin configuration: " + e.getMessage(), e);
        }
    }
}
