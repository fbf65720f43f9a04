package io.hookline.notifier.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.InvalidSettingsException;
import io.hookline.notifier.Notification;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.NotifierContext;
import io.hookline.notifier.OutboundHttp;
import io.hookline.notifier.SettingsChange;
import io.hookline.notifier.host.NotifierHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Loads built notifier plugin jars the way the Hookline server does, and drives notifications through them.
 *
 * <p>The jar (or every {@code .jar}/{@code .zip} of a directory) is checked with {@link PluginJarCheck}, copied into
 * a fresh plugins directory and loaded by {@link NotifierHost}, the same loader the server runs: PF4J's
 * {@code DefaultPluginManager}, one class loader per plugin, {@link Notifier} extensions found through
 * {@code META-INF/extensions.idx}, each initialised with a {@link NotifierContext}. The context lent here has:
 * <ul>
 *   <li>a real {@link TestOutboundHttp} (java.net.http, timeouts, no redirects) <b>without</b> the server's network
 *   guard, so that receivers on loopback can be reached;</li>
 *   <li>a settable {@link TestClock};</li>
 *   <li>a plain Jackson {@link ObjectMapper} (the server's has more modules registered: bind plugin configuration
 *   to simple types to work with both);</li>
 *   <li>a logger named {@code hookline.plugin.<plugin id>};</li>
 *   <li>the plugin's configuration block, as given to {@link Builder#pluginConfig}, else an empty object.</li>
 * </ul>
 *
 * <pre>{@code
 * try (NotifierTestKit kit = NotifierTestKit.load(Path.of(System.getProperty("hookline.plugin.jar")));
 *      LoopbackReceiver receiver = LoopbackReceiver.start()) {
 *     ObjectNode settings = kit.createSettings(receiver.url(), null);
 *     DeliveryOutcome outcome = kit.deliver(receiver.url(), settings, "eventsChanged");
 *     assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
 * }
 * }</pre>
 *
 * <p>The convenience methods ({@link #createSettings}, {@link #deliver}, ...) act on the notifier of the
 * {@linkplain Builder#type selected type}, or on the only one loaded.
 */
public final class NotifierTestKit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotifierTestKit.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final Path pluginsDirectory;
    private final NotifierHost host;
    private final TestClock clock;
    private final ObjectMapper json;
    private final Notifier notifier;
    private final String username;
    private final String webhookId;
    private final Duration deliveryTimeout;
    private final ExecutorService deliveries;

    private NotifierTestKit(Builder b, Path pluginsDirectory, NotifierHost host) {
        this.pluginsDirectory = pluginsDirectory;
        this.host = host;
        this.clock = b.clock;
        this.json = b.json;
        this.username = b.username;
        this.webhookId = b.webhookId;
        this.deliveryTimeout = b.deliveryTimeout;
        this.notifier = pick(host, b.type);
        this.deliveries = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "testkit-delivery");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads one plugin jar, or every plugin of a directory, with default settings. */
    public static NotifierTestKit load(Path pluginJarOrDirectory) {
        return builder(pluginJarOrDirectory).build();
    }

    /** Starts configuring a kit for one plugin jar, or every plugin of a directory. */
    public static Builder builder(Path pluginJarOrDirectory) {
        return new Builder(pluginJarOrDirectory);
    }

    /** Options of a {@link NotifierTestKit}; every one has a default. */
    public static final class Builder {
        private final Path source;
        private final Map<String, JsonNode> configById = new HashMap<>();
        private JsonNode configForAll;
        private TestClock clock = new TestClock();
        private ObjectMapper json = new ObjectMapper();
        private OutboundHttp http;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration deliveryTimeout = Duration.ofSeconds(30);
        private String type;
        private String username = "testuser";
        private String webhookId = "test-webhook";

        private Builder(Path source) {
            this.source = Objects.requireNonNull(source, "plugin jar or directory");
        }

        /** The configuration block of plugin {@code pluginId}, as {@code plugins.settings.<pluginId>} in config.yml. */
        public Builder pluginConfig(String pluginId, JsonNode config) {
            configById.put(pluginId, config);
            return this;
        }

        /** The configuration block for plugin {@code pluginId}, as JSON text. */
        public Builder pluginConfig(String pluginId, String configJson) {
            return pluginConfig(pluginId, parse(json, configJson));
        }

        /** The configuration block of every loaded plugin that has none of its own (handy with one plugin). */
        public Builder pluginConfig(JsonNode config) {
            this.configForAll = config;
            return this;
        }

        /** The configuration block of every loaded plugin, as JSON text. */
        public Builder pluginConfig(String configJson) {
            return pluginConfig(parse(json, configJson));
        }

        /** The clock lent to plugins (default: a {@link TestClock} at the current time). */
        public Builder clock(TestClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The JSON mapper lent to plugins (default: a plain {@code new ObjectMapper()}). */
        public Builder objectMapper(ObjectMapper json) {
            this.json = Objects.requireNonNull(json, "json");
            return this;
        }

        /** Replaces the real HTTP client, for instance with a stub that fails on purpose. */
        public Builder http(OutboundHttp http) {
            this.http = http;
            return this;
        }

        /** Timeouts of the real HTTP client (defaults: 5 s connect, 10 s total, the server's defaults). */
        public Builder httpTimeouts(Duration connect, Duration request) {
            this.connectTimeout = Objects.requireNonNull(connect, "connect");
            this.requestTimeout = Objects.requireNonNull(request, "request");
            return this;
        }

        /**
         * How long {@link #deliver} waits for the plugin before failing with a {@link TimeoutException}
         * (default 30 s), as the server abandons a delivery that runs past its limit.
         */
        public Builder deliveryTimeout(Duration timeout) {
            this.deliveryTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The type the convenience methods act on; needed only when the plugins loaded deliver several types. */
        public Builder type(String type) {
            this.type = type;
            return this;
        }

        /** The account named in notifications (default {@code testuser}). */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** The webhook id carried by notifications (default {@code test-webhook}). */
        public Builder webhookId(String webhookId) {
            this.webhookId = Objects.requireNonNull(webhookId, "webhookId");
            return this;
        }

        /**
         * Checks, copies and loads the plugins.
         *
         * @throws AssertionError        when a jar bundles classes the server provides ({@link PluginJarCheck})
         * @throws IllegalStateException when PF4J cannot load a plugin, two plugins claim one type, a notifier fails
         *                               to initialise, or no notifier (or not the selected type) is found
         */
        public NotifierTestKit build() {
            List<Path> jars = pluginFiles(source);
            jars.forEach(PluginJarCheck::assertClean);
            OutboundHttp outbound = http != null ? http : new TestOutboundHttp(connectTimeout, requestTimeout);
            Path directory;
            try {
                directory = Files.createTempDirectory("hookline-plugins-");
                for (Path jar : jars) {
                    Files.copy(jar, directory.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare a plugins directory", e);
            }
            NotifierHost host;
            try {
                host = NotifierHost.load(directory, (pluginId, type) -> new TestContext(pluginId, outbound, clock,
                        json, configById.getOrDefault(pluginId, configForAll)));
            } catch (RuntimeException e) {
                deleteTree(directory);
                throw e;
            }
            try {
                return new NotifierTestKit(this, directory, host);
            } catch (RuntimeException e) {
                host.close();
                deleteTree(directory);
                throw e;
            }
        }
    }

    /** The context lent to a notifier. */
    private record TestContext(String pluginId, OutboundHttp http, Clock clock, ObjectMapper json, JsonNode block)
            implements NotifierContext {
        @Override
        public Logger logger() {
            return LoggerFactory.getLogger("hookline.plugin." + pluginId);
        }

        @Override
        public JsonNode config() {
            // Like the server: a missing block reads as an empty object. A copy, so a plugin cannot alter the test's.
            return block == null || block.isNull() ? json.createObjectNode() : block.deepCopy();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The notifier the convenience methods act on. */
    public Notifier notifier() {
        return notifier;
    }

    /** The notifier of {@code type}; fails when no loaded plugin delivers it. */
    public Notifier notifier(String type) {
        return host.notifier(type).orElseThrow(() ->
                new IllegalArgumentException("No notifier of type \"" + type + "\"; loaded: " + host.types()));
    }

    /** The types loaded, in load order. */
    public List<String> types() {
        return host.types();
    }

    /** The plugins loaded: id, version, PF4J state and types, as the server lists them. */
    public List<NotifierHost.LoadedPlugin> plugins() {
        return host.plugins();
    }

    /** The temporary plugins directory the jars were copied to (removed by {@link #close()}). */
    public Path pluginsDirectory() {
        return pluginsDirectory;
    }

    /** The clock lent to the plugins: move it to test expiries and timestamps. */
    public TestClock clock() {
        return clock;
    }

    /** The JSON mapper lent to the plugins. */
    public ObjectMapper json() {
        return json;
    }

    /** Parses a JSON object, for settings and requests: {@code kit.object("{\"rotateSecret\": true}")}. */
    public ObjectNode object(String jsonText) {
        JsonNode node = parse(json, jsonText);
        if (!node.isObject()) throw new IllegalArgumentException("Not a JSON object: " + jsonText);
        return (ObjectNode) node;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Settings

    /**
     * Validates settings as at {@code webhooks.create}.
     *
     * @param requested what the client sends in {@code settings}, or null when it sends none
     * @return the settings the server would store
     */
    public ObjectNode createSettings(String url, ObjectNode requested) throws InvalidSettingsException {
        return validateSettings(new SettingsChange(url, copy(requested), null));
    }

    /**
     * Validates settings as at {@code webhooks.update}.
     *
     * @param requested what the client sends in {@code settings}, or null when it sends none
     * @param current   the stored settings
     * @return the settings the server would store
     */
    public ObjectNode updateSettings(String url, ObjectNode requested, ObjectNode current)
            throws InvalidSettingsException {
        return validateSettings(new SettingsChange(url, copy(requested), copy(Objects.requireNonNull(current, "current"))));
    }

    /** Calls {@link Notifier#validateSettings} and checks it honours its contract (never null). */
    public ObjectNode validateSettings(SettingsChange change) throws InvalidSettingsException {
        ObjectNode result = notifier.validateSettings(change);
        if (result == null) {
            throw new AssertionError("validateSettings returned null; return an empty object when there are none");
        }
        return result;
    }

    /** The settings as the server shows them to accesses that do not own the webhook. */
    public ObjectNode redact(ObjectNode settings) {
        return notifier.redact(copy(settings));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Notifications

    /**
     * A first attempt of a new notification, as the server builds it: a fresh delivery id ({@code msg_...}), attempt
     * 1 at the clock's time, and the Pryv body
     * {@code {"messages": [...], "meta": {"apiVersion": "test", "serverTime": <seconds>, "serial": "test"}}}.
     */
    public Notification notification(String url, ObjectNode settings, String... messages) {
        List<String> list = List.of(messages);
        return new Notification(webhookId, newDeliveryId(), username, url,
                settings == null ? json.createObjectNode() : copy(settings), list, body(list), 1, clock.instant());
    }

    /**
     * The next attempt of {@code previous}, as the server retries it: same delivery id, settings and messages,
     * attempt + 1, at the clock's current time, with a body whose {@code meta.serverTime} is that time.
     */
    public Notification retryOf(Notification previous) {
        return new Notification(previous.webhookId(), previous.deliveryId(), previous.username(), previous.url(),
                previous.settings(), previous.messages(), body(previous.messages()), previous.attempt() + 1,
                clock.instant());
    }

    /** Builds a {@link #notification} and delivers it. */
    public DeliveryOutcome deliver(String url, ObjectNode settings, String... messages) throws Exception {
        return deliver(notification(url, settings, messages));
    }

    /**
     * Delivers a notification through the plugin as the server does ({@link Notifier#deliverAsync}, blocking work on
     * a pool of the kit), bounded by the {@linkplain Builder#deliveryTimeout delivery timeout}. What the plugin
     * throws, or completes its future with, is thrown here unchanged.
     *
     * @throws TimeoutException when the plugin runs past the timeout (the server would record a failed run)
     */
    public DeliveryOutcome deliver(Notification notification) throws Exception {
        CompletableFuture<DeliveryOutcome> run = notifier.deliverAsync(notification, deliveries);
        if (run == null) throw new AssertionError("deliverAsync() returned null; return a future");
        DeliveryOutcome outcome;
        try {
            outcome = run.get(deliveryTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            throw new TimeoutException("the delivery ran past " + deliveryTimeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
        if (outcome == null) throw new AssertionError("deliver() returned null; return a DeliveryOutcome");
        return outcome;
    }

    /** The Pryv notification body for these messages, at the clock's time. */
    public byte[] body(List<String> messages) {
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("messages");
        messages.forEach(list::add);
        ObjectNode meta = body.putObject("meta");
        meta.put("apiVersion", "test");
        // Plain seconds with milliseconds (1764230400.123), as the server writes them, not 1.764230400123E9.
        meta.put("serverTime", BigDecimal.valueOf(clock.millis(), 3));
        meta.put("serial", "test");
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops and unloads the plugins, and removes the temporary plugins directory. */
    @Override
    public void close() {
        deliveries.shutdownNow();
        try {
            host.close();
        } finally {
            deleteTree(pluginsDirectory);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Notifier pick(NotifierHost host, String type) {
        if (type != null) {
            return host.notifier(type).orElseThrow(() -> new IllegalStateException(
                    "No notifier of type \"" + type + "\" was loaded; loaded: " + host.types()));
        }
        List<String> types = host.types();
        if (types.size() != 1) {
            throw new IllegalStateException(types.isEmpty()
                    ? "No Notifier extension was found: is the class annotated with @org.pf4j.Extension, and does "
                    + "the jar hold META-INF/extensions.idx (pf4j on the compile class path runs its annotation "
                    + "processor)?"
                    : "Several types were loaded " + types + ": choose one with builder(...).type(...)");
        }
        return host.notifier(types.get(0)).orElseThrow();
    }

    private static List<Path> pluginFiles(Path source) {
        if (Files.isRegularFile(source)) return List.of(source);
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("No plugin jar or directory at " + source.toAbsolutePath()
                    + " (has the module been packaged?)");
        }
        try (Stream<Path> files = Files.list(source)) {
            List<Path> found = files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".jar") || p.toString().endsWith(".zip"))
                    .sorted()
                    .toList();
            if (found.isEmpty()) throw new IllegalArgumentException("No .jar or .zip in " + source.toAbsolutePath());
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode copy(ObjectNode node) {
        return node == null ? null : node.deepCopy();
    }

    private static JsonNode parse(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String newDeliveryId() {
        StringBuilder id = new StringBuilder("msg_");
        for (int i = 0; i < 24; i++) id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        return id.toString();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", root, e.getMessage());
        }
    }
}
