package io.hookline.storage;

import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Counters of what nodes keep in memory (the accesses behind tokens): a write that deletes such a thing adds one to its
 * counter in its own transaction ({@link WriteTx#deletesAccesses}), and a node trusts its copy only while the counter
 * it last read is the one its copy was made at. A node learns of its own changes directly; this is how it learns of
 * the other nodes' changes.
 */
public final class Generations {
    /** Deletions of accesses. */
    public static final String ACCESSES = "accesses";

    private Generations() {
    }

    /** Adds one to {@code name}'s counter, in the caller's write transaction. */
    public static void bump(Handle h, String name) {
        h.createUpdate("INSERT INTO generations (name, value) VALUES (:name, 1) "
                        + "ON CONFLICT (name) DO UPDATE SET value = generations.value + 1")
                .bind("name", name).execute();
    }

    /**
     * {@code name}'s counter as the database held it at most {@code maxAge} ago: one reading for every request of this
     * node that asks meanwhile. One process on SQLite has no other node to hear from: always 0. Throws when the
     * database cannot be read.
     */
    public static LongSupplier watch(Database db, String name, Duration maxAge) {
        if (db.dialect() != Dialect.POSTGRESQL) return () -> 0L;
        SharedReading reading = new SharedReading(() -> db.read(h -> read(h, name)), db.clock()::nowMicros, 0);
        return () -> reading.recent(maxAge);
    }

    static long read(Handle h, String name) {
        return h.createQuery("SELECT COALESCE((SELECT value FROM generations WHERE name = :name), 0)")
                .bind("name", name).mapTo(Long.class).one();
    }
}
