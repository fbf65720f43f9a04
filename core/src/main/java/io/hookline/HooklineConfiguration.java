package io.hookline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.validation.ValidationMethod;
import io.dropwizard.core.Configuration;
import io.hookline.config.AttachmentsConfig;
import io.hookline.config.DatabaseConfig;
import io.hookline.config.DeliveryConfig;
import io.hookline.config.LimitsConfig;
import io.hookline.config.NetworkConfig;
import io.hookline.config.PluginsConfig;
import io.hookline.config.SignInConfig;
import io.hookline.config.ServiceConfig;
import io.hookline.config.WebhooksConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Everything an operator sets in {@code config.yml}. */
public class HooklineConfiguration extends Configuration {
    /** The development default; start-up warns while it is in use. */
    public static final String DEVELOPMENT_ADMIN_KEY = "change-me-dev-admin-key";

    @NotEmpty
    @JsonProperty
    private String adminKey = DEVELOPMENT_ADMIN_KEY;

    /** Returned in every response's {@code meta.serial}; change it when clients must refresh cached data. */
    @NotNull
    @JsonProperty
    private String serial = "2026112701";

    /** Public base URL used in {@code apiEndpoint}s; when empty, the URL of the request is used. */
    @Pattern(regexp = "^$|^https?://[^/]+/?$", message = "must be empty or an http(s) origin such as https://api.example.com")
    @JsonProperty
    private String publicUrl = "";

    @Valid
    @NotNull
    @JsonProperty
    private DatabaseConfig database = new DatabaseConfig();

    @Valid
    @NotNull
    @JsonProperty
    private LimitsConfig limits = new LimitsConfig();

    @Valid
    @NotNull
    @JsonProperty
    private WebhooksConfig webhooks = new WebhooksConfig();

    @Valid
    @NotNull
    @JsonProperty
    private NetworkConfig network = new NetworkConfig();

    @Valid
    @NotNull
    @JsonProperty
    private PluginsConfig plugins = new PluginsConfig();

    @Valid
    @NotNull
    @JsonProperty
    private SignInConfig signIn = new SignInConfig();

    public SignInConfig getSignIn() {
        return signIn;
    }

    @Valid
    @NotNull
    @JsonProperty
    private ServiceConfig service = new ServiceConfig();

    @Valid
    @NotNull
    @JsonProperty
    private AttachmentsConfig attachments = new AttachmentsConfig();

    @Valid
    @NotNull
    @JsonProperty
    private DeliveryConfig delivery = new DeliveryConfig();

    public DeliveryConfig getDelivery() {
        return delivery;
    }

    public AttachmentsConfig getAttachments() {
        return attachments;
    }

    public ServiceConfig getService() {
        return service;
    }

    private static final java.util.Set<String> LOG_LEVELS =
            java.util.Set.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL");

    /**
     * Logback reads an unknown level as DEBUG without a word, which would also print what the DEBUG output of some
     * libraries holds: refuse it instead.
     */
    @ValidationMethod(message = "logging.level and every level of logging.loggers must be one of OFF, ERROR, WARN, "
            + "INFO, DEBUG, TRACE, ALL")
    @JsonIgnore
    public boolean isEveryLogLevelKnown() {
        if (!(getLoggingFactory() instanceof DefaultLoggingFactory logging)) return true;
        if (!knownLevel(logging.getLevel())) return false;
        return logging.getLoggers().values().stream().allMatch(v -> v.isTextual()
                ? knownLevel(v.asText()) : !v.has("level") || knownLevel(v.path("level").asText()));
    }

    private static boolean knownLevel(String level) {
        return level != null && LOG_LEVELS.contains(level.trim().toUpperCase(java.util.Locale.ROOT));
    }

    public WebhooksConfig getWebhooks() {
        return webhooks;
    }

    public NetworkConfig getNetwork() {
        return network;
    }

    public PluginsConfig getPlugins() {
        return plugins;
    }

    public String getAdminKey() {
        return adminKey;
    }

    public String getSerial() {
        return serial;
    }

    public String getPublicUrl() {
        return publicUrl;
    }

    public DatabaseConfig getDatabase() {
        return database;
    }

    public LimitsConfig getLimits() {
        return limits;
    }
}
