package io.hookline.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** Defaults and bounds of webhook delivery. */
public class WebhooksConfig {
    /** Default minimum time between two deliveries of one webhook. */
    @Min(0)
    @Max(86_400_000)
    @JsonProperty
    private long minIntervalMs = 5000;

    /**
     * Consecutive failed runs tolerated before a webhook is deactivated: the attempt after the last tolerated one
     * deactivates it. 0 means no retry: the first failure deactivates.
     */
    @Min(0)
    @Max(1000)
    @JsonProperty
    private int maxRetries = 5;

    /** The least {@code minIntervalMs} a client may ask for at {@code webhooks.create}. */
    @Min(0)
    @Max(86_400_000)
    @JsonProperty
    private long minIntervalFloorMs = 1000;

    /** The most {@code maxRetries} a client may ask for at {@code webhooks.create}. */
    @Min(0)
    @Max(1000)
    @JsonProperty
    private int maxRetriesLimit = 20;

    /** Recent runs kept per webhook. */
    @Min(1)
    @Max(1000)
    @JsonProperty
    private int runsSize = 50;

    /** Longest wait between two retries (caps backoff and Retry-After). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration maxBackoff = Duration.hours(1);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration connectTimeout = Duration.seconds(5);

    /** Whole-request limit for one delivery (connect, send, answer). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration requestTimeout = Duration.seconds(10);

    /**
     * Deliveries in flight at once, over all webhooks. Waiting on a receiver holds no thread, only a connection:
     * this bounds sockets and memory, and how many hanging receivers it takes to slow the others.
     */
    @Min(1)
    @Max(16_384)
    @JsonProperty
    private int maxInFlight = 1024;

    /**
     * Deliveries in flight at once to one host (host and port), and connections kept to it: no receiver gets a
     * storm of connections, and a host that hangs holds only this many of the places above.
     */
    @Min(1)
    @Max(16_384)
    @JsonProperty
    private int maxInFlightPerHost = 128;

    /**
     * On PostgreSQL, how long a node's claim on a webhook lasts without renewal. A node renews its claims while their
     * deliveries run (every third of this); when it dies, its webhooks are delivered by another node once this has
     * passed. Shorter: faster failover, more renewal writes.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    @JsonProperty
    private Duration leaseTime = Duration.seconds(30);

    /** A host can never have more places than there are in all. */
    @ValidationMethod(message = "maxInFlightPerHost must not be above maxInFlight")
    @JsonIgnore
    public boolean isPerHostLimitWithinTotal() {
        return maxInFlightPerHost <= maxInFlight;
    }

    public long getMinIntervalMs() {
        return minIntervalMs;
    }

    public long getMinIntervalFloorMs() {
        return minIntervalFloorMs;
    }

    public int getMaxRetriesLimit() {
        return maxRetriesLimit;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public int getRunsSize() {
        return runsSize;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public Duration getLeaseTime() {
        return leaseTime;
    }

    public int getMaxInFlightPerHost() {
        return maxInFlightPerHost;
    }
}
