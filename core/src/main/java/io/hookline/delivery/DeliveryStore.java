package io.hookline.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.WriteTx;
import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Delivery state behind the operations the engine needs: record pending messages with the change that caused them,
 * claim the webhooks that are due, finish an attempt, release a claim. Each claim holds a {@link Lease}: an
 * implementation shared by several nodes makes the lease exclusive and time-bound in the database (claim sets an
 * owner, an expiry and a fencing counter; finish succeeds only while the lease is held; release on stop), and
 * {@link LocalDeliveryStore} (one process, one SQLite file) keeps the leases in memory.
 *
 * <p>At most one claim per webhook is held at a time. Times are microseconds since the epoch.
 */
public interface DeliveryStore {
    /** A webhook that may be delivered from {@code at} on. */
    record Due(String webhookId, long at) {
    }

    /** A pending message with the time it last happened. */
    record Pending(String message, long lastSeen) {
    }

    /**
     * The right to deliver one webhook now. {@code fence} orders the claims of one webhook: a finish carrying an
     * older fence than the store's is a late result and is dropped (or, for the local store, applied to the
     * webhook as it is now, since no other node can have delivered meanwhile).
     */
    record Lease(String webhookId, long fence) {
    }

    /**
     * A claimed webhook with what to deliver. {@code target} is null when the webhook no longer exists; a claim
     * that is not {@link #deliverable()} is released at once.
     */
    record Claim(Lease lease, DeliveryTarget target, DeliveryState state, List<Pending> pending, String username) {
        public boolean deliverable() {
            return target != null && target.active() && !pending.isEmpty();
        }
    }

    /**
     * One finished attempt of a claim, and the interval that was in force for it. A held attempt could not be made
     * because of a problem on Hookline's side, not counted against the webhook ({@link RunRules#applyHeld}).
     */
    record Attempt(Claim claim, Tried tried, long minIntervalMs, String deliveryId) {
        public DeliveryOutcome outcome() {
            return tried.outcome();
        }

        public boolean held() {
            return tried.attempted().held();
        }

        public long startMicros() {
            return tried.startMicros();
        }
    }

    /**
     * A delivery that could run but has not: an active webhook with pending messages, not claimed, due since
     * {@code dueSince}, the later of its stored due time (a throttled or backing-off webhook is not due yet) and its
     * oldest pending message (a new webhook, due at 0, was not due before its first message).
     */
    record Late(String webhookId, long dueSince) {
    }

    /**
     * What finishing an attempt left: whether more is pending, the delivery state (null when the webhook was
     * deleted meanwhile), and whether the attempt deactivated it.
     */
    record Finished(Lease lease, boolean pendingRemains, DeliveryState state, boolean deactivated) {
    }

    /**
     * Inside the writer's transaction: each message happened for its user at {@code now} (the user's latest change of
     * that kind, which a delivery compares with what it read), and becomes pending for each of the user's plain
     * webhooks, inactive ones included (they receive it when made active again). Every {@code user_changes} row is
     * taken before any pending row, users and messages in their sorted order (the lock order of
     * {@link DeliveryOutbox}). Returns the active webhooks that were not pending yet, to {@link #offer} after the
     * commit.
     */
    List<Due> recordChanges(Handle h, SortedMap<Long, SortedSet<String>> messagesByUser, long now);

    /**
     * Inside the writer's transaction: the scope {@code keys} a change matched become pending for one scoped webhook,
     * active or not. Returns the webhook when it is active and one of them was not pending yet.
     */
    Optional<Due> recordPending(Handle h, String webhookId, List<String> keys, long now);

    /**
     * At start-up: each of {@code messages} pending for every active webhook ({@code webhooksServiceBoot} when this
     * start is the service's, none for a node joining delivering nodes), and every pending webhook offered; one
     * whose last run was held back on Hookline's side is due at once (the restart may be the operator's fix).
     */
    void start(List<String> messages);

    /** Committed work: these webhooks may be due. */
    void offer(Collection<Due> due);

    /** The webhook was deleted or deactivated: nothing more is claimed for it until offered again. */
    void forget(String webhookId);

    /** Sleeps until a claim may succeed (something due and room under {@code capacity}), or {@code maxWaitMs}. */
    void awaitWork(long maxWaitMs, int capacity) throws InterruptedException;

    /** Claims up to {@code max} webhooks due now, with their target, state and pending messages. */
    List<Claim> claimDue(int max);

    /**
     * Whether the delivery of a claim may still start: false when the claim may have been lost since it was made
     * (its lease may have expired while this node was paused); such a claim is released without an attempt.
     */
    boolean mayStart(Lease lease);

    /**
     * Ends a claim without recording an attempt: due again at {@code due} if {@code pendingRemains} or work was
     * offered meanwhile.
     */
    void release(Lease lease, boolean pendingRemains, long due);

    /**
     * Inside one writer transaction: records the runs of these attempts (counters, runs, next due time,
     * deactivation) and removes what was delivered, unless it happened again meanwhile.
     */
    List<Finished> finish(WriteTx tx, List<Attempt> attempts);

    /** After {@link #finish} committed: ends those claims, scheduling what remains. */
    void ended(List<Finished> finished);

    /** On a graceful stop, after the last attempt was recorded: gives up every claim still held. */
    void releaseAll();

    /** Claims held now. */
    int claimedCount();

    /** Webhooks waiting for their due time. */
    int scheduledCount();

    /** Waits up to {@code maxWaitMs} for a claim to end (returns at once when none is held). */
    void awaitReleased(long maxWaitMs) throws InterruptedException;

    /** The details of the webhook's last attempts as the API shows them, newest first ({@link AttemptLog}). */
    ArrayNode attempts(Handle h, String webhookId);

    /** The delivery state of these webhooks, by id (for the webhooks API). */
    Map<String, DeliveryState> states(Handle h, Collection<String> webhookIds);

    /** In the client's transaction: forgets the webhook's retries; returns its state, due at {@code due}. */
    DeliveryState reactivate(Handle h, String webhookId, DeliveryState current, long due);

    /** The delivery that has been due the longest before {@code now} ({@link Late}), if any. */
    Optional<Late> mostLate(long now);

    /** How many deliveries have been due since before {@code dueBefore} ({@link Late}). */
    long lateCount(long dueBefore);

    /** How many webhooks are inactive. */
    long inactiveCount();
}
