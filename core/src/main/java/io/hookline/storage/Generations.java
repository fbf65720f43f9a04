package io.hookline.storage;

import org.jdbi.v3.core.Handle;

/**
 * Counters of what nodes keep in memory (the accesses behind tokens): a write that deletes such a thing adds one to its
 * counter in its own transaction ({@link WriteTx#deletesAccesses}), and a node trusts its copy only while the counter
 * it last read is the one its copy was made at. A node learns of its own changes directly; this is how it learns of
 * the other nodes' changes. The counter is read with the horizon, in the same statement
 * ({@link ChangeClock#recentAccessDeletions}).
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
}
