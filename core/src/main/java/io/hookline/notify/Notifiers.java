package io.hookline.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dropwizard.lifecycle.Managed;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.NotifierContext;
import io.hookline.notifier.OutboundHttp;
import io.hookline.notifier.host.NotifierHost;
import io.hookline.startup.StartupFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The notifiers installed in this server, loaded from the plugins directory at start-up. */
public final class Notifiers implements Managed {
    public static final String DEFAULT_TYPE = "http";

    private final NotifierHost host;

    private Notifiers(NotifierHost host) {
        this.host = host;
    }

    /** Loads every plugin of {@code directory}, lending each notifier the shared client and its config block. */
    public static Notifiers load(Path directory, OutboundHttp http, Clock clock, ObjectMapper json,
                                 Map<String, JsonNode> pluginSettings) {
        try {
            NotifierHost host = NotifierHost.load(directory, (pluginId, type) -> new Context(http, clock, json,
                    LoggerFactory.getLogger("hookline.plugins." + pluginId),
                    pluginSettings.getOrDefault(pluginId, JsonNodeFactory.instance.objectNode())));
            return new Notifiers(host);
        } catch (IllegalStateException e) {
            throw new StartupFailure("plugins.directory (HOOKLINE_PLUGINS_DIR): " + e.getMessage(), e);
        }
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
    public void stop() {
        host.close();
    }

    private record Context(OutboundHttp http, Clock clock, ObjectMapper json, Logger logger, JsonNode config)
            implements NotifierContext {
    }
}
