package io.hookline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the data lives. By default the embedded SQLite database: one file, WAL, one writer connection (immediate
 * transactions) and a pool of readers. With {@code url} set, a PostgreSQL database: a pool of writer connections (each
 * write its own transaction) and a pool of readers.
 */
public class DatabaseConfig {
    @NotEmpty
    @JsonProperty
    private String path = "data/hookline.db";

    /** A {@code jdbc:postgresql://} URL; empty (or null: an unset variable) means SQLite at {@code path}. */
    @Pattern(regexp = "^$|^jdbc:postgresql:.+", message = "must be empty (SQLite) or a jdbc:postgresql:// URL")
    @JsonProperty
    private String url = "";

    /** PostgreSQL user and password; empty means as given in the URL (or the driver's defaults). */
    @JsonProperty
    private String user = "";

    @JsonProperty
    private String password = "";

    @Min(1)
    @Max(64)
    @JsonProperty
    private int readers = 4;

    /** PostgreSQL only: write transactions at once (SQLite has one writer); unset: {@link #defaultWriters}. */
    @Min(1)
    @Max(64)
    @JsonProperty
    private Integer writers;

    @Min(0)
    @Max(600_000)
    @JsonProperty
    private int busyTimeoutMs = 10_000;

    /** SQLite only: most write requests committed together in one transaction. */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int maxWriteGroup = 256;

    public boolean isPostgresql() {
        return !getUrl().isEmpty();
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getUrl() {
        return url == null ? "" : url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user == null ? "" : user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password == null ? "" : password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public int getBusyTimeoutMs() {
        return busyTimeoutMs;
    }

    public int getMaxWriteGroup() {
        return maxWriteGroup;
    }

    public int getWriters() {
        return writers != null ? writers : defaultWriters(Runtime.getRuntime().availableProcessors());
    }

    /**
     * As many writers as the node has processors, at least 2 (one transaction runs its statements while another
     * commits). A writer's transaction runs its statements one after the other, so more writers than processors
     * only split the queued writes into smaller groups, each paying its own round trips and commit: on two
     * processors, 8 writers took 1.6 times the CPU per event that 2 took (BENCHMARKS.md, eleventh runs).
     */
    public static int defaultWriters(int processors) {
        return Math.min(64, Math.max(2, processors));
    }

    public int getReaders() {
        return readers;
    }

    /**
     * Startup options of the pools' connections: no JIT compilation of statements. PostgreSQL compiles a statement
     * whose estimated cost passes {@code jit_above_cost}, again at every execution. A claim's estimate passes it once
     * some thousands of messages are pending, although it reads only the rows of those webhooks: with 15,000 pending
     * messages a claim of 256 webhooks took 91 ms with the compiler and 44 ms without (timed with pgbench,
     * BENCHMARKS.md, fifteenth runs). No statement of Hookline reads enough rows for compiling to pay. An
     * {@code options} parameter in {@code database.url} replaces this one (the driver lets the URL win).
     */
    public static final String WITHOUT_JIT = "-c jit=off";

    /** The writer pool's connections name themselves so that the change clock finds their transactions. */
    public static final String POSTGRESQL_WRITER_NAME = "hookline-writer";

    public DataSourceFactory writer() {
        if (isPostgresql()) return postgresql(getWriters(), POSTGRESQL_WRITER_NAME, false);
        DataSourceFactory f = sqlite(1);
        f.getProperties().put("transaction_mode", "IMMEDIATE");
        return f;
    }

    public DataSourceFactory readers() {
        if (isPostgresql()) {
            DataSourceFactory f = postgresql(readers, "hookline", true);
            f.setReadOnlyByDefault(true);
            // A read is one snapshot, as SQLite's read transactions are; PostgreSQL's default (read committed) takes
            // one per statement. Set once per connection: asking for it per transaction costs eight round trips
            // (Jdbi reads the level, sets it, and sets it back; the driver asks the server each time it is read).
            f.setDefaultTransactionIsolation(DataSourceFactory.TransactionIsolation.REPEATABLE_READ);
            return f;
        }
        return sqlite(readers);
    }

    private DataSourceFactory sqlite(int size) {
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
        return common(f);
    }

    /**
     * @param rowByRow whether rows arrive one at a time inside a transaction, as SQLite steps through them: the reads
     *                 that answer clients charge each row to the answer's byte limit before reading it, and the driver
     *                 would otherwise hold a whole result (rows of up to limits.maxRequestBody each) in memory before
     *                 that limit could refuse it. Writes and deliveries map whole results to lists anyway: their
     *                 connections fetch each result at once, where one round trip per row (a claim's webhooks, the
     *                 pending rows an insert returns) would cost more than the statement.
     */
    private DataSourceFactory postgresql(int size, String applicationName, boolean rowByRow) {
        DataSourceFactory f = new DataSourceFactory();
        f.setDriverClass("org.postgresql.Driver");
        f.setUrl(getUrl());
        if (!getUser().isEmpty()) f.setUser(getUser());
        if (!getPassword().isEmpty()) f.setPassword(getPassword());
        Map<String, String> props = new LinkedHashMap<>();
        props.put("ApplicationName", applicationName);
        props.put("options", WITHOUT_JIT);
        if (rowByRow) props.put("defaultRowFetchSize", "1");
        f.setProperties(props);
        // Every connection opened at start and kept: a PostgreSQL connection takes a server process and tens of
        // milliseconds to open, which a pool growing under a burst of requests would add to their answers.
        f.setInitialSize(size);
        f.setMinSize(size);
        f.setMaxSize(size);
        return common(f);
    }

    private static DataSourceFactory common(DataSourceFactory f) {
        f.setMaxWaitForConnection(Duration.seconds(30));
        f.setValidationQuery("SELECT 1");
        return f;
    }
}
