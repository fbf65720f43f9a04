package io.hookline.storage;

import org.jdbi.v3.core.Handle;

/**
 * The change clock of a PostgreSQL database shared by several nodes: what makes {@code modifiedSince = <serverTime of
 * my last answer>} miss nothing, whichever node served either request.
 *
 * <p>The rule to keep: every write that a read does not see must carry a stamp above that read's serverTime. Commit
 * order is not stamp order (a write stamped early may commit late, on another node), so the horizon is taken from the
 * writes still open, and only the database knows them all:
 * <ol>
 * <li>Before a write transaction takes its first stamp, {@link #writeStart} gives it a transaction id (if an earlier
 *     statement has not already) and then reads the server's clock; its stamps are at least that time. So a write's
 *     stamp is at or after its transaction's start, and the transaction is listed with an id in
 *     {@code pg_stat_activity} before its stamp is read. A transaction that stamps nothing skips it.</li>
 * <li>A request's serverTime ({@link #horizon}) is taken before it reads anything: one microsecond below the earlier
 *     of the statement's start and the start of every writer transaction that holds an id now.</li>
 * </ol>
 * Take a read with serverTime {@code S} and a write {@code W} it does not see. Its snapshot is taken after {@code S}
 * was, so {@code W} had not committed when {@code S} was computed. Either {@code W} already held its id then: it was
 * listed, its transaction started at or after {@code S + 1}, and its stamp is at or after that start. Or {@code W}
 * took its id later: it read the clock after the horizon's statement started, so its stamp is at least {@code S + 1}.
 * Either way the stamp is above {@code S}. Both times come from the one server clock; a node whose own clock runs
 * ahead only makes stamps larger, so that a later sync may see a change twice, never miss it. A writer transaction
 * left open long (none of Hookline's is) holds serverTime back, which repeats changes and loses none.
 *
 * <p>The horizon never goes back: a transaction listed by a later horizon either was listed by the earlier one too or
 * started after it. It needs {@code track_activities} (on by default), checked at start-up.
 */
final class PostgresClock {
    /** {@code application_name} of the writer pool's connections: the horizon looks at their transactions only. */
    static final String WRITER = io.hookline.config.DatabaseConfig.POSTGRESQL_WRITER_NAME;

    private PostgresClock() {
    }

    /** Before a write transaction's first stamp: takes its transaction id (if it has none), then reads the clock. */
    static long writeStart(Handle h) {
        return h.createQuery("WITH x AS MATERIALIZED (SELECT pg_current_xact_id() AS xid) "
                        + "SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint FROM x")
                .mapTo(Long.class).one();
    }

    /** What the statement behind a request's serverTime reads: the horizon, and the count of deleted accesses. */
    record Reading(long horizon, long accessDeletions) {
    }

    /**
     * serverTime for a request about to read (on a connection of its own, outside any transaction), with the
     * {@link Generations#ACCESSES} counter in the same statement: a request needs both, and one round trip serves.
     */
    static Reading read(Handle h) {
        return h.createQuery("SELECT LEAST((EXTRACT(EPOCH FROM statement_timestamp()) * 1000000)::bigint, "
                        + "COALESCE((SELECT (EXTRACT(EPOCH FROM MIN(xact_start)) * 1000000)::bigint "
                        + "FROM pg_stat_activity WHERE datname = current_database() AND application_name = :writer "
                        + "AND backend_xid IS NOT NULL), 9223372036854775807)) - 1, "
                        + "COALESCE((SELECT value FROM generations WHERE name = :accesses), 0)")
                .bind("writer", WRITER).bind("accesses", Generations.ACCESSES)
                .map((rs, ctx) -> new Reading(rs.getLong(1), rs.getLong(2))).one();
    }

    /** Refuses a server that does not list its transactions (the horizon would not see other nodes' writes). */
    static void requireActivityTracking(Handle h) {
        String on = h.createQuery("SELECT current_setting('track_activities')").mapTo(String.class).one();
        if (!"on".equals(on)) {
            throw new io.hookline.startup.StartupFailure(PostgresCheck.URL + ": the server runs with "
                    + "track_activities off; Hookline needs it on (the default) to keep modifiedSince exact");
        }
    }
}
