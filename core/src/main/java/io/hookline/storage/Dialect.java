package io.hookline.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.core.statement.SqlStatements;

import java.util.Map;

/**
 * What differs between the two engines, in one place. Statements are written once and name the differing pieces as
 * template attributes defined here: {@code <greatest>(a, b)} (SQLite's two-argument {@code MAX}) and {@code <rowSeq>}
 * (the column that orders rows by insertion: SQLite's {@code rowid}, an identity column {@code seq} on PostgreSQL).
 * {@code ON CONFLICT ... DO NOTHING / DO UPDATE} and {@code RETURNING} are written alike on both.
 */
public enum Dialect {
    SQLITE("sqlite", "db/migration/", Map.of("greatest", "MAX", "rowSeq", "rowid")),
    POSTGRESQL("postgresql", "db/migration-postgresql/", Map.of("greatest", "GREATEST", "rowSeq", "seq"));

    /** The attribute that holds the engine itself ({@link #of}). */
    private static final String ENGINE = "dialect";

    private final String poolPrefix;
    private final String migrationFolder;
    private final Map<String, String> attributes;

    Dialect(String poolPrefix, String migrationFolder, Map<String, String> attributes) {
        this.poolPrefix = poolPrefix;
        this.migrationFolder = migrationFolder;
        this.attributes = attributes;
    }

    /** Sets up a Jdbi of this engine: the SQL attributes above, and a template engine that caches parsed SQL. */
    public Jdbi install(Jdbi jdbi) {
        // Dropwizard's default template engine cannot cache parsed SQL, so every statement was parsed again on every
        // execution (a third of the writer's CPU in the benchmark); Jdbi's own engine caches it.
        jdbi.getConfig(SqlStatements.class).setTemplateEngine(new DefinedAttributeTemplateEngine());
        attributes.forEach(jdbi::define);
        jdbi.define(ENGINE, this);
        return jdbi;
    }

    /**
     * The engine of a handle's database, for the few statements that differ by more than a word: one that only
     * PostgreSQL can write as a single statement, saving round trips.
     */
    public static Dialect of(Handle h) {
        return h.getConfig(SqlStatements.class).getAttribute(ENGINE) == POSTGRESQL ? POSTGRESQL : SQLITE;
    }

    /** The name of one of this engine's connection pools (metrics and health checks use it). */
    public String poolName(String role) {
        return poolPrefix + "-" + role;
    }

    /** The classpath folder of this engine's migration files. */
    String migrationFolder() {
        return migrationFolder;
    }
}
