package io.hookline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where notifier plugins are installed, and each plugin's own settings block (by plugin id). */
public class PluginsConfig {
    @NotEmpty
    @JsonProperty
    private String directory = "plugins-installed";

    @NotNull
    @JsonProperty
    private Map<String, JsonNode> settings = new LinkedHashMap<>();

    public String getDirectory() {
        return directory;
    }

    public Map<String, JsonNode> getSettings() {
        return settings;
    }
}
