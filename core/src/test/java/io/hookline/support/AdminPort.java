package io.hookline.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;

/**
 * A running Hookline's admin port as an operator reads it: {@code /metrics} and {@code /healthcheck}. A metric the
 * server does not list reads as {@link #MISSING}, so that a test expecting 0 fails when the metric is gone.
 */
public final class AdminPort {
    /** What {@link #gauge} and {@link #meterCount} give for a metric {@code /metrics} does not list. */
    public static final long MISSING = -1;

    private final ApiClient client;

    public AdminPort(int port) {
        this.client = new ApiClient("http://127.0.0.1:" + port);
    }

    public static AdminPort of(DropwizardAppExtension<?> app) {
        return new AdminPort(app.getAdminPort());
    }

    /** The value of a gauge, or {@link #MISSING}. */
    public long gauge(String name) {
        return client.get("/metrics", null).body().path("gauges").path(name).path("value").asLong(MISSING);
    }

    /** The count of a meter, or {@link #MISSING}. */
    public long meterCount(String name) {
        return client.get("/metrics", null).body().path("meters").path(name).path("count").asLong(MISSING);
    }

    /** Every health check's answer, by name. */
    public JsonNode health() {
        return client.get("/healthcheck", null).body();
    }
}
