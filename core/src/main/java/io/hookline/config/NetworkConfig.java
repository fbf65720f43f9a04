package io.hookline.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Networks webhook targets may reach although they are denied by default (loopback, private, link-local...).
 * Given as a comma-separated list of CIDRs, so that one environment variable can set it.
 */
public class NetworkConfig {
    /** Null (an empty environment variable in config.yml) means none. */
    @JsonProperty
    private String allowedNetworks = "";

    public List<String> allowedCidrs() {
        List<String> out = new ArrayList<>();
        if (allowedNetworks == null) return out;
        Arrays.stream(allowedNetworks.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }
}
