package io.hookline.notifier.host;

import io.hookline.notifier.Notifier;
import io.hookline.notifier.NotifierContext;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Loads notifier plugins from a directory through PF4J, initialises one instance of each {@link Notifier}
 * extension and indexes them by type. Start-up fails, naming the culprits, when a plugin cannot start or two
 * notifiers claim one type: a half-loaded set of notifiers would silently misroute deliveries.
 */
public final class NotifierHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotifierHost.class);

    private final PluginManager plugins;
    private final Map<String, Notifier> byType = new LinkedHashMap<>();
    private final List<LoadedPlugin> loaded = new ArrayList<>();

    /**
     * One loaded plugin: its id, version, state, the types it delivers, and its manifest's {@code Plugin-Provider}
     * and {@code Plugin-Description} (empty when not given). A plugin with no type loaded is a packaging mistake
     * (no {@code @Extension}, or an extension index missing from the jar).
     */
    public record LoadedPlugin(String id, String version, String state, List<String> types, String provider,
                               String description) {
        public boolean deliversNothing() {
            return types.isEmpty();
        }
    }

    private NotifierHost(PluginManager plugins) {
        this.plugins = plugins;
    }

    /**
     * Loads and starts every plugin in {@code directory}.
     *
     * @param contexts builds the context lent to each notifier, from the plugin id and the notifier's type
     */
    public static NotifierHost load(Path directory, BiFunction<String, String, NotifierContext> contexts) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("Plugins directory " + directory.toAbsolutePath() + " does not exist");
        }
        PluginManager manager = new DefaultPluginManager(directory);
        NotifierHost host = new NotifierHost(manager);
        try {
            manager.loadPlugins();
            manager.startPlugins();
            host.index(contexts);
        } catch (RuntimeException e) {
            manager.stopPlugins();
            throw e;
        }
        return host;
    }

    private void index(BiFunction<String, String, NotifierContext> contexts) {
        List<String> problems = new ArrayList<>();
        for (PluginWrapper p : plugins.getPlugins()) {
            if (p.getPluginState() != PluginState.STARTED) {
                problems.add("plugin " + p.getPluginId() + " is " + p.getPluginState()
                        + (p.getFailedException() != null ? ": " + p.getFailedException().getMessage() : ""));
                continue;
            }
            List<String> types = new ArrayList<>();
            for (Notifier n : plugins.getExtensions(Notifier.class, p.getPluginId())) {
                String type = n.type();
                Notifier clash = byType.get(type);
                if (clash != null) {
                    problems.add("type \"" + type + "\" is claimed by " + pluginOf(clash) + " and " + p.getPluginId());
                    continue;
                }
                try {
                    n.init(contexts.apply(p.getPluginId(), type));
                } catch (RuntimeException e) {
                    // The message alone hides where it failed (and may be null): the stack trace goes to the log.
                    LOG.error("Plugin {} failed to initialise type \"{}\"", p.getPluginId(), type, e);
                    problems.add("plugin " + p.getPluginId() + " failed to initialise type \"" + type + "\": " + e);
                    continue;
                }
                byType.put(type, n);
                types.add(type);
            }
            loaded.add(new LoadedPlugin(p.getPluginId(), p.getDescriptor().getVersion(),
                    p.getPluginState().toString(), List.copyOf(types), orEmpty(p.getDescriptor().getProvider()),
                    orEmpty(p.getDescriptor().getPluginDescription())));
            if (types.isEmpty()) {
                LOG.warn("Notifier plugin {} {} delivers no webhook type: is its Notifier class annotated with "
                        + "@org.pf4j.Extension, and does the jar hold META-INF/extensions.idx?", p.getPluginId(),
                        p.getDescriptor().getVersion());
            } else {
                LOG.info("Loaded notifier plugin {} {} for type(s) {}", p.getPluginId(),
                        p.getDescriptor().getVersion(), types);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Notifier plugins could not all be loaded: " + String.join("; ", problems));
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private String pluginOf(Notifier n) {
        PluginWrapper w = plugins.whichPlugin(n.getClass());
        return w == null ? "the core" : w.getPluginId();
    }

    public Optional<Notifier> notifier(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The installed types, in load order. */
    public List<String> types() {
        return List.copyOf(byType.keySet());
    }

    public List<LoadedPlugin> plugins() {
        return Collections.unmodifiableList(loaded);
    }

    /** Calls every notifier's {@link Notifier#close}, then stops and unloads the plugins. */
    @Override
    public void close() {
        for (Map.Entry<String, Notifier> e : byType.entrySet()) {
            try {
                e.getValue().close();
            } catch (RuntimeException ex) {
                LOG.warn("Notifier of type \"{}\" failed to close", e.getKey(), ex);
            }
        }
        plugins.stopPlugins();
        plugins.unloadPlugins();
    }
}
