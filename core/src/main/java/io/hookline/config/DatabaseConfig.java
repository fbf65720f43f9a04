package io.hookline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded SQLite database: one file, WAL, one writer connection (immediate transactions) and a pool of readers.
 */
public class DatabaseConfig {
    @NotEmpty
    @JsonProperty
    private String path = "data/hookline.db";

    @Min(1)
    @Max(64)
    @JsonProperty
    private int readers = 4;

    @Min(0)
    @Max(600_000)
    @JsonProperty
    private int busyTimeoutMs = 10_000;

    /** Most write requests committed together in one transaction. */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int maxWriteGroup = 256;

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public int getBusyTimeoutMs() {
        return busyTimeoutMs;
    }

    public int getMaxWriteGroup() {
        return maxWriteGroup;
    }

    public DataSourceFactory writer() {
        DataSourceFactory f = base(1);
        f.getProperties().put("transaction_mode", "IMMEDIATE");
        return f;
    }

    public DataSourceFactory readers() {
        return base(readers);
    }

    private DataSourceFactory base(int size) {
        DataSourceFactory f = new DataSourceFactory();
        f.setDriverClass("org.sqlite.JDBC");
        f.setUrl("jdbc:sqlite:" + path);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("journal_mode", "WAL");
        props.put("synchronous", "NORMAL");
        props.put("foreign_keys", "true");
        props.put("busy_timeout", Integer.toString(busyTimeoutMs));
        f.setProperties(props);
        f.setInitialSize(size);
        f.setMinSize(size);
        f.setMaxSize(size);
        f.setMaxWaitForConnection(Duration.seconds(30));
        f.setValidationQuery("SELECT 1");
        return f;
    }
}
