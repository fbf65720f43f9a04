package io.hookline.delivery;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows of {@code webhook_pending}, read with the user's latest change of each kind ({@code user_changes}): a message
 * pending for a webhook happened at the later of its own row's time and the user's latest change of that kind.
 */
final class PendingMessages {
    private PendingMessages() {
    }

    /** Pending messages of these webhooks, first seen first, each with when it last happened for the user. */
    static Map<String, List<DeliveryStore.Pending>> of(Handle h, Collection<String> webhookIds) {
        Map<String, List<DeliveryStore.Pending>> out = new HashMap<>();
        h.createQuery("SELECT p.webhook_id, p.message, MAX(p.last_seen, COALESCE(c.last_seen, 0)) "
                        + "FROM webhook_pending p JOIN webhooks w ON w.id = p.webhook_id "
                        + "LEFT JOIN user_changes c ON c.user_id = w.user_id AND c.message = p.message "
                        + "WHERE p.webhook_id IN (<ids>) ORDER BY p.first_seen, p.rowid")
                .bindList("ids", List.copyOf(webhookIds))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new DeliveryStore.Pending(rs.getString(2), rs.getLong(3))))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    /**
     * Removes delivered messages (by webhook), unless they happened again after they were read. Returns the webhooks
     * that still have one of them pending for that reason.
     */
    static Set<String> removeDelivered(Handle h, Map<String, List<DeliveryStore.Pending>> delivered) {
        if (delivered.isEmpty()) return Set.of();
        PreparedBatch batch = h.prepareBatch("DELETE FROM webhook_pending WHERE webhook_id = :webhook "
                + "AND message = :message AND MAX(last_seen, COALESCE((SELECT c.last_seen FROM user_changes c "
                + "WHERE c.user_id = (SELECT user_id FROM webhooks WHERE id = :webhook) AND c.message = :message), 0)) "
                + "<= :seen");
        List<String> order = new ArrayList<>();
        delivered.forEach((webhookId, messages) -> {
            for (DeliveryStore.Pending p : messages) {
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
}
