package io.hookline.notifier.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.NotifierContext;
import io.hookline.notifier.OutboundHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The notifiers installed in this server, loaded from the plugins directory at start-up. */
public final class Notifiers implements AutoCloseable {
    public static final String DEFAULT_TYPE = "http";

    private final NotifierHost host;

    private Notifiers(NotifierHost host) {
        this.host = host;
    }

    /** Loads every plugin of {@code directory}, lending each notifier the shared client and its config block. */
    public static Notifiers load(Path directory, OutboundHttp http, Clock clock, ObjectMapper json,
                                 Map<String, JsonNode> pluginSettings) {
        NotifierHost host = NotifierHost.load(directory, (pluginId, type) -> new Context(pluginId, http, clock, json,
                LoggerFactory.getLogger("hookline.plugins." + pluginId),
                pluginSettings.getOrDefault(pluginId, JsonNodeFactory.instance.objectNode())));
        return new Notifiers(host);
    }

    public Optional<Notifier> find(String type) {
        return host.notifier(type);
    }

    public List<String> types() {
        return host.types();
    }

    public List<NotifierHost.LoadedPlugin> plugins() {
        return host.plugins();
    }

    @Override
    public void close() {
        host.close();
    }

    private record Context(String pluginId, OutboundHttp http, Clock clock, ObjectMapper json, Logger logger,
                           JsonNode config)
            implements NotifierContext {
    }
}
