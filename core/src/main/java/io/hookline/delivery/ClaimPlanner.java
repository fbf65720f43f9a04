package io.hookline.delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What a PostgreSQL delivery node's next claim looks at: a few webhooks by id, or every claimable webhook. It
 * remembers the webhooks offered to the node (its own commits, other nodes' signals, a finish or a release that left
 * work), each with the database time from which it may be due, and the earliest time anything else may be due. While
 * only offered webhooks are due, and few of them, they are claimed by id: that statement finds each row by its key,
 * with a plan the server keeps. Everything is looked at otherwise, and at least every {@link #LOOK_AT_ALL_EVERY_MICROS}
 * however many offers come, so that work whose signal was lost and leases that expired are found.
 *
 * <p>Times: due times on the database's clock, the last look at everything on the node's. Not thread-safe: its store
 * calls it holding one lock.
 */
final class ClaimPlanner {
    /**
     * Most offered webhooks remembered: past it (a burst, a catch-up after a lost connection) one claim of everything
     * serves better than many by id.
     */
    static final int MAX_OFFERED = 1024;
    /**
     * Most webhooks claimed by id at once; more due at once are claimed by a claim of everything. The plan the server
     * keeps for the claim by id may have been made while the tables were small, when reading a table in full costs
     * less than its index: until the server analyzes the table again, each id claimed may read it in full.
     */
    static final int MOST_BY_ID = 16;
    /** Claims by id never stand in for a claim of everything for longer than this. */
    static final long LOOK_AT_ALL_EVERY_MICROS = TimeUnit.SECONDS.toMicros(1);

    private final Map<String, Long> offered = new HashMap<>();
    /**
     * The earliest time something not offered may be claimable, as far as this node knows (database's clock): at
     * first anything may be, so the first claim looks at everything.
     */
    private long nextDue = Long.MIN_VALUE;
    /** When everything was last looked at, on the node's clock. */
    private long lookedAtAllMicros;

    /**
     * The webhook may be claimable from {@code dbMicros} on. Returns whether that is earlier than anything due before
     * (the scheduler should wake); past {@link #MAX_OFFERED} remembered, it moves the next look at everything instead.
     */
    boolean expect(String webhookId, long dbMicros) {
        if (offered.size() < MAX_OFFERED || offered.containsKey(webhookId)) {
            offered.merge(webhookId, dbMicros, Math::min);
            return true;
        }
        return wakeAt(dbMicros);
    }

    /** Something not offered may be claimable from {@code dbMicros} on; returns whether that is earlier than before. */
    boolean wakeAt(long dbMicros) {
        if (dbMicros >= nextDue) return false;
        nextDue = dbMicros;
        return true;
    }

    /** When the next claim is due, on the database's clock. */
    long due() {
        return Math.min(nextDue, offeredDue());
    }

    private long offeredDue() {
        long due = Long.MAX_VALUE;
        for (long at : offered.values()) due = Math.min(due, at);
        return due;
    }

    /**
     * The webhooks the claim at {@code dbNow} takes by id, forgotten here as they are handed out; or none, and the
     * claim looks at everything: when something not offered is due, when no offered webhook is due (a poll), when
     * {@link #LOOK_AT_ALL_EVERY_MICROS} has passed since the last look at everything (a clock set back counts as time
     * passed), or when more offered webhooks are due than {@code max} or {@link #MOST_BY_ID}. Parked webhooks (their
     * host is full) are not claimed by id: the host offers them again when a place frees.
     *
     * <p>A claim that looks at everything claims what was offered or counts it in the next due time it reports
     * ({@link #wakeAt}): what was remembered is forgotten.
     */
    List<String> next(long dbNow, long nodeNowMicros, int max, Predicate<String> parked) {
        long sinceLookedAtAll = nodeNowMicros - lookedAtAllMicros;
        boolean lookAtAll = sinceLookedAtAll < 0 || sinceLookedAtAll >= LOOK_AT_ALL_EVERY_MICROS
                || nextDue <= dbNow || offeredDue() > dbNow;
        List<String> ids = lookAtAll ? List.of()
                : offered.entrySet().stream().filter(e -> e.getValue() <= dbNow).map(Map.Entry::getKey).toList();
        if (ids.size() > Math.min(max, MOST_BY_ID)) ids = List.of();
        ids.forEach(offered::remove);
        List<String> claimed = ids.stream().filter(parked.negate()).toList();
        if (claimed.isEmpty()) {
            nextDue = Long.MAX_VALUE;
            offered.clear();
            lookedAtAllMicros = nodeNowMicros;
        }
        return claimed;
    }
}
