package io.hookline.delivery;

import io.hookline.storage.Database;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Set;

/**
 * How late deliveries are. A webhook's delivery is late when it could run but has not: it has pending messages, it is
 * not in flight, and the time it became due has passed. It became due at the later of its stored due time (the
 * throttle or backoff: a throttled webhook is not late) and its oldest pending message (a new webhook's due time is
 * 0, yet nothing was due before its first message). Its lag is how long ago that was.
 */
public final class DeliveryLag {
    /** Due-since of every active webhook with pending messages, oldest first. */
    private static final String DUE = "SELECT w.id, MAX(w.next_attempt_at, MIN(p.first_seen)) AS due_since "
            + "FROM webhooks w JOIN webhook_pending p ON p.webhook_id = w.id WHERE w.state = 'active' "
            + "GROUP BY w.id HAVING due_since < :before";

    private final Database db;
    private final Schedule schedule;

    public DeliveryLag(Database db, Schedule schedule) {
        this.db = db;
        this.schedule = schedule;
    }

    /** One late webhook and how late it is. */
    public record Late(String webhookId, long lagMicros) {
    }

    /** The most late webhook now, or null when none is late. */
    public Late worst() {
        long now = db.clock().nowMicros();
        Set<String> inFlight = schedule.inFlightIds();
        // In flight are running, not late: skip them; one more row than they are is enough.
        List<Late> oldest = db.read(h -> h.createQuery(DUE + " ORDER BY due_since LIMIT :n")
                .bind("before", now).bind("n", inFlight.size() + 1)
                .map((rs, ctx) -> new Late(rs.getString(1), now - rs.getLong(2))).list());
        return oldest.stream().filter(l -> !inFlight.contains(l.webhookId())).findFirst().orElse(null);
    }

    /** Milliseconds the most late webhook has waited past its due time; 0 when none is late. */
    public long worstMs() {
        Late w = worst();
        return w == null ? 0 : w.lagMicros() / 1000;
    }

    /** How many webhooks are late by more than {@code lagMs}. */
    public long countLaterThan(long lagMs) {
        long before = db.clock().nowMicros() - lagMs * 1000;
        Set<String> inFlight = schedule.inFlightIds();
        return db.read(h -> countDue(h, before, inFlight));
    }

    private static long countDue(Handle h, long before, Set<String> inFlight) {
        if (inFlight.isEmpty()) {
            return h.createQuery("SELECT COUNT(*) FROM (" + DUE + ")").bind("before", before).mapTo(Long.class).one();
        }
        return h.createQuery("SELECT COUNT(*) FROM (" + DUE + ") WHERE id NOT IN (<inFlight>)")
                .bind("before", before).bindList("inFlight", List.copyOf(inFlight)).mapTo(Long.class).one();
    }
}
