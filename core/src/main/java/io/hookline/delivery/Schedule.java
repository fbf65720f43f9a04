package io.hookline.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The in-memory index of which webhook is due when; the database keeps the truth ({@code next_attempt_at} and the
 * pending messages) and the schedule is rebuilt from it at start-up. At most one delivery per webhook is in flight:
 * work offered for a webhook in flight is remembered and scheduled when that delivery finishes.
 * Thread-safe; {@link #awaitWork} lets the scheduler sleep until the next due time or new work.
 */
public final class Schedule {
    private record Entry(long due, String id) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> Long.compare(a.due, b.due));
    private final Map<String, Long> dueById = new HashMap<>();
    private final Set<String> offeredWhileInFlight = new HashSet<>();
    private final Set<String> inFlight = new HashSet<>();

    /** Asks for a delivery of {@code id} at {@code due} (microseconds) or earlier if already scheduled earlier. */
    public synchronized void offer(String id, long due) {
        if (add(id, due)) notifyAll();
    }

    /** {@link #offer} for many at once: one lock, one wake-up (the writer calls it for every committed change). */
    public synchronized void offerAll(Map<String, Long> due) {
        boolean added = false;
        for (Map.Entry<String, Long> e : due.entrySet()) added |= add(e.getKey(), e.getValue());
        if (added) notifyAll();
    }

    private boolean add(String id, long due) {
        if (inFlight.contains(id)) {
            // When it is due again is for the finishing attempt to say (throttle or backoff), not the offer.
            offeredWhileInFlight.add(id);
            return false;
        }
        Long current = dueById.get(id);
        if (current != null && current <= due) return false;
        dueById.put(id, due);
        queue.add(new Entry(due, id));
        return true;
    }

    /** Takes up to {@code max} webhooks due at {@code now} and marks them in flight. */
    public synchronized List<String> takeDue(long now, int max) {
        List<String> out = new ArrayList<>();
        while (out.size() < max && !queue.isEmpty() && queue.peek().due <= now) {
            Entry e = queue.poll();
            Long current = dueById.get(e.id);
            if (current == null || current != e.due) continue; // superseded
            dueById.remove(e.id);
            inFlight.add(e.id);
            out.add(e.id);
        }
        return out;
    }

    /**
     * Ends the delivery of {@code id}. When messages remain pending, or work was offered meanwhile, it is scheduled
     * again at {@code nextAttemptAt} (the throttle or backoff time the attempt recorded).
     */
    public synchronized void finished(String id, boolean pendingRemains, long nextAttemptAt) {
        inFlight.remove(id);
        boolean offered = offeredWhileInFlight.remove(id);
        if (pendingRemains || offered) offer(id, nextAttemptAt);
        notifyAll();
    }

    /** Drops a webhook (deleted or deactivated): nothing more is delivered for it until offered again. */
    public synchronized void forget(String id) {
        dueById.remove(id);
        offeredWhileInFlight.remove(id);
    }

    /** The webhooks in flight now (a copy). */
    public synchronized Set<String> inFlightIds() {
        return Set.copyOf(inFlight);
    }

    public synchronized int inFlightCount() {
        return inFlight.size();
    }

    /** Waits up to {@code maxWaitMs} for a delivery in flight to finish (returns at once when none is). */
    public synchronized void awaitIdle(long maxWaitMs) throws InterruptedException {
        if (!inFlight.isEmpty()) wait(maxWaitMs);
    }

    public synchronized int scheduledCount() {
        return dueById.size();
    }


    /** Sleeps until something may be due, work is offered, or {@code maxWaitMs} passes. Spurious returns are fine. */
    public synchronized void awaitWork(LongSupplier nowMicros, long maxWaitMs, int capacity)
            throws InterruptedException {
        long now = nowMicros.getAsLong();
        Entry head = queue.peek();
        boolean hasCapacity = inFlight.size() < capacity;
        if (hasCapacity && head != null && head.due <= now) return;
        long waitMs = maxWaitMs;
        if (hasCapacity && head != null) waitMs = Math.min(waitMs, Math.max(1, (head.due - now + 999) / 1000));
        wait(waitMs);
    }
}
