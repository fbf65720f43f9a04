package io.hookline.delivery;

/**
 * The two statements of a PostgreSQL claim ({@link PostgresDeliveryStore}): the claim of every claimable webhook, and
 * the claim of a few offered webhooks by id ({@link ClaimPlanner}). Each picks due webhooks whose lease is free or
 * expired, skipping rows locked by another node's claim or finish, writes this node's lease on them, and returns in
 * one round trip the database's time, the leased webhooks with what each has pending, and the earliest due time of
 * the claimable webhooks it did not pick.
 */
final class ClaimStatements {
    /**
     * Active webhooks this node has not parked. Parked webhooks are left out through a hashed subquery: {@code = ANY}
     * over the array compared each row with every parked id.
     */
    private static final String ACTIVE_UNPARKED = "w.state = 'active' AND w.id NOT IN (SELECT unnest(:parked))";
    /** Something is pending for the webhook. */
    private static final String PENDING = "EXISTS (SELECT 1 FROM webhook_pending p WHERE p.webhook_id = w.id)";
    /** Active, unparked and with something pending: what may be claimed. */
    private static final String CLAIMABLE = ACTIVE_UNPARKED + " AND " + PENDING;

    /**
     * The claim's statement around its choice of webhooks ({@code picked}, locked) and its search for the next due
     * time among those not picked ({@code later}): the database's time, the leases written, what each leased webhook
     * has pending.
     */
    private static String claimStatement(String picked, String later) {
        return "WITH clock AS MATERIALIZED (SELECT " + PostgresDeliveryStore.DB_NOW + " AS now), "
                + "picked AS (" + picked + "), "
                + "numbered AS (SELECT id AS picked_id, row_number() OVER () AS n FROM picked), "
                + "leased AS (UPDATE webhooks SET lease_owner = :node, "
                + "lease_until = (SELECT now FROM clock) + :lease, lease_fence = lease_fence + 1, "
                + "delivery_id = COALESCE(delivery_id, :seed || numbered.n) "
                + "FROM numbered WHERE webhooks.id = numbered.picked_id RETURNING "
                + LocalDeliveryStore.TARGET_COLUMNS + ", " + LocalDeliveryStore.STATE_COLUMNS
                + ", lease_fence, (SELECT u.username FROM users u WHERE u.id = webhooks.user_id) AS username, "
                + PendingMessages.JSON_COLUMN + " AS pending), "
                + "later AS (" + later + ") "
                + "SELECT clock.now AS clock_now, later.next_due, leased.* "
                + "FROM clock CROSS JOIN later LEFT JOIN leased ON true";
    }

    /** Due by the database's clock, and its lease free or expired. */
    private static final String DUE_AND_FREE = "w.next_attempt_at <= clock.now AND w.lease_until < clock.now";

    /** The claim of every claimable webhook (parameters {@code :parked}, {@code :max}, {@code :node}, ...). */
    static final String ALL = claimStatement(
            "SELECT w.id FROM webhooks w, clock WHERE " + CLAIMABLE + " AND " + DUE_AND_FREE
                    + " ORDER BY w.next_attempt_at LIMIT :max FOR NO KEY UPDATE OF w SKIP LOCKED",
            // From the pending rows, a lookup of each webhook: as a join over every active webhook, this part took
            // most of the claim's time (OFFSET 0 keeps it a lookup). Not computed when the batch is full: the node
            // claims again at once (a third of a full claim's time in a fan-out).
            "SELECT MIN(GREATEST(w.next_attempt_at, w.lease_until)) AS next_due "
                    + "FROM (SELECT DISTINCT webhook_id FROM webhook_pending) p CROSS JOIN LATERAL "
                    + "(SELECT w.next_attempt_at, w.lease_until FROM webhooks w WHERE w.id = p.webhook_id "
                    + "AND " + ACTIVE_UNPARKED + " "
                    + "AND NOT (w.id IN (SELECT picked_id FROM numbered)) OFFSET 0) w "
                    + "WHERE (SELECT count(*) FROM numbered) < :max");

    /**
     * Each offered webhook ({@code :ids}, read through a scalar subquery so that no plan sees them) joined to a lookup
     * of its row: the plan cannot read the table in due-time order instead, as it did with {@code id = ANY(...)}.
     */
    private static final String EACH_OFFERED = "unnest((SELECT :ids)::text[]) AS o(id) CROSS JOIN LATERAL ";
    /** Active, with something pending (parked webhooks are not offered). */
    private static final String ACTIVE_PENDING = "w.state = 'active' AND " + PENDING;

    /** The claim of offered webhooks, by id (parameters {@code :ids}, {@code :node}, {@code :lease}, {@code :seed}). */
    static final String OFFERED = claimStatement(
            "SELECT w.id FROM " + EACH_OFFERED + "(SELECT w.id FROM webhooks w, clock WHERE w.id = o.id AND "
                    + ACTIVE_PENDING + " AND " + DUE_AND_FREE + " FOR NO KEY UPDATE OF w SKIP LOCKED) w",
            "SELECT MIN(GREATEST(w.next_attempt_at, w.lease_until)) AS next_due FROM " + EACH_OFFERED
                    + "(SELECT w.next_attempt_at, w.lease_until FROM webhooks w WHERE w.id = o.id AND "
                    + ACTIVE_PENDING + " AND NOT (w.id IN (SELECT picked_id FROM numbered)) OFFSET 0) w");

    private ClaimStatements() {
    }
}
