package io.hookline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** Web apps' sign-in requests ({@code /reg/access/}). */
public class SignInConfig {
    /** How long a request waits for the user's answer, and then for the app's poll. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.DAYS)
    @JsonProperty
    private Duration requestLifetime = Duration.minutes(10);

    /** Most requests open at once (not expired, answered or not): creation needs no authentication. */
    @Min(1)
    @JsonProperty
    private int maxOpenRequests = 10_000;

    /** Requests one client address may create per minute. */
    @Min(1)
    @JsonProperty
    private int requestsPerClientPerMinute = 60;

    public Duration getRequestLifetime() {
        return requestLifetime;
    }

    public int getMaxOpenRequests() {
        return maxOpenRequests;
    }

    public int getRequestsPerClientPerMinute() {
        return requestsPerClientPerMinute;
    }
}
