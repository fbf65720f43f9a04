package io.hookline.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.storage.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rows of {@code webhook_pending}, read with the user's latest change of each kind ({@code user_changes}): a message
 * pending for a webhook happened at the later of its own row's time and the user's latest change of that kind. The
 * statements name what differs between the engines as {@code io.hookline.storage.Dialect} attributes.
 */
final class PendingMessages {
    private PendingMessages() {
    }

    /**
     * The same rows for the {@code webhooks} row of the statement around it, as one PostgreSQL JSON column
     * ({@code [[message, lastSeen], ...]}, first seen first, null when none): a claim reads them in its own statement.
     */
    static final String JSON_COLUMN = "(SELECT json_agg(json_build_array(p.message, "
            + "GREATEST(p.last_seen, COALESCE(c.last_seen, 0))) ORDER BY p.first_seen, p.seq) "
            + "FROM webhook_pending p LEFT JOIN user_changes c ON c.user_id = webhooks.user_id AND c.message = p.message "
            + "WHERE p.webhook_id = webhooks.id)";

    /** A {@link #JSON_COLUMN} value as the claim's pending messages. */
    static List<DeliveryStore.Pending> ofJson(String json) {
        if (json == null) return List.of();
        List<DeliveryStore.Pending> out = new ArrayList<>();
        for (JsonNode m : Json.read(json)) out.add(new DeliveryStore.Pending(m.get(0).asText(), m.get(1).asLong()));
        return out;
    }

    /** Pending messages of these webhooks, first seen first, each with when it last happened for the user. */
    static Map<String, List<DeliveryStore.Pending>> of(Handle h, Collection<String> webhookIds) {
        Map<String, List<DeliveryStore.Pending>> out = new HashMap<>();
        h.createQuery("SELECT p.webhook_id, p.message, <greatest>(p.last_seen, COALESCE(c.last_seen, 0)) "
                        + "FROM webhook_pending p JOIN webhooks w ON w.id = p.webhook_id "
                        + "LEFT JOIN user_changes c ON c.user_id = w.user_id AND c.message = p.message "
                        + "WHERE p.webhook_id IN (<ids>) ORDER BY p.first_seen, p.<rowSeq>")
                .bindList("ids", List.copyOf(webhookIds))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new DeliveryStore.Pending(rs.getString(2), rs.getLong(3))))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    /**
     * Removes delivered messages (by webhook), unless they happened again after they were read. Returns the webhooks
     * that still have one of them pending for that reason.
     *
     * <p>With concurrent writers (PostgreSQL) a write may be adding the same message, not yet committed, while this
     * runs: it has already updated the user's {@code user_changes} row (the outbox does that before it touches
     * {@code webhook_pending}). So the {@code user_changes} rows of the delivered messages are first locked
     * {@code FOR SHARE}, in the sorted order the outbox takes them in: this waits for such a write to commit, and the
     * comparison below then sees its time and keeps the message. A write that comes after the lock waits for this
     * transaction and, finding the pending row gone, adds it again. A write takes all its user_changes rows before any
     * webhook_pending row, as this does, so they form no deadlock cycle (see PostgresDeliveryStore.finish).
     */
    static Set<String> removeDelivered(Handle h, Map<String, List<DeliveryStore.Pending>> delivered) {
        if (delivered.isEmpty()) return Set.of();
        lockChangesOf(h, delivered);
        PreparedBatch batch = h.prepareBatch("DELETE FROM webhook_pending WHERE webhook_id = :webhook "
                + "AND message = :message AND <greatest>(last_seen, COALESCE((SELECT c.last_seen FROM user_changes c "
                + "WHERE c.user_id = (SELECT user_id FROM webhooks WHERE id = :webhook) AND c.message = :message), 0)) "
                + "<= :seen");
        List<String> order = new ArrayList<>();
        // By webhook then message: the order in which writers lock scoped webhooks' pending rows (DeliveryOutbox).
        new TreeMap<>(delivered).forEach((webhookId, messages) -> {
            for (DeliveryStore.Pending p : messages.stream()
                    .sorted(Comparator.comparing(DeliveryStore.Pending::message)).toList()) {
                batch.bind("webhook", webhookId).bind("message", p.message()).bind("seen", p.lastSeen()).add();
                order.add(webhookId);
            }
        });
        int[] removed = batch.execute();
        Set<String> again = new HashSet<>();
        for (int i = 0; i < removed.length; i++) {
            if (removed[i] == 0) again.add(order.get(i));
        }
        return again;
    }

    /**
     * One statement: the user_changes rows of every delivered message's kind for every user of these webhooks, in
     * (user, message) order (PostgreSQL locks the rows of a locking {@code SELECT} as it returns them, after sorting).
     * A batch of several users and kinds may lock a few rows it does not compare; they are share locks, taken in the
     * same order, so that costs at most a wait for a writer's commit.
     */
    private static void lockChangesOf(Handle h, Map<String, List<DeliveryStore.Pending>> delivered) {
        Set<String> messages = new TreeSet<>();
        delivered.values().forEach(pending -> pending.forEach(p -> messages.add(p.message())));
        if (messages.isEmpty()) return;
        h.createQuery("SELECT c.user_id FROM user_changes c WHERE c.user_id IN "
                        + "(SELECT w.user_id FROM webhooks w WHERE w.id IN (<ids>)) AND c.message IN (<messages>) "
                        + "ORDER BY c.user_id, c.message <forShare>")
                .bindList("ids", List.copyOf(delivered.keySet())).bindList("messages", List.copyOf(messages))
                .mapTo(Long.class).list();
    }
}
