package io.hookline.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.ChangeClock;
import io.hookline.storage.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The details of each webhook's last attempts ({@code webhook_attempts}): duration, error class, the beginning of the
 * target's answer, the messages sent and the next planned attempt. Bounded per webhook as its runs are: recording an
 * attempt removes those older than the newest {@code keep}.
 */
final class AttemptLog {
    /** How much of a target's answer is kept: enough for an error message, bounded whatever the target sends. */
    static final int ANSWER_BYTES = 1024;

    private AttemptLog() {
    }

    /** One finished attempt to record: its webhook's run count after it, and when the next one is planned. */
    record Recorded(DeliveryStore.Attempt attempt, long runNumber, Long nextAttempt) {
    }

    /** Inside the writer's transaction that recorded the runs. */
    static void record(Handle h, List<Recorded> attempts, int keep) {
        if (attempts.isEmpty()) return;
        PreparedBatch insert = h.prepareBatch("INSERT INTO webhook_attempts (webhook_id, run_number, started, "
                + "duration, status, error, reason, answer, messages, delivery_id, next_attempt) VALUES (:webhook, "
                + ":run, :started, :duration, :status, :error, :reason, :answer, :messages, :deliveryId, :next) "
                + "ON CONFLICT (webhook_id, run_number) DO NOTHING");
        PreparedBatch prune = h.prepareBatch("DELETE FROM webhook_attempts WHERE webhook_id = :webhook "
                + "AND run_number <= :oldest");
        boolean pruning = false;
        for (Recorded r : attempts) {
            DeliveryStore.Attempt a = r.attempt();
            Tried t = a.tried();
            List<String> sent = a.claim().pending().stream().map(DeliveryStore.Pending::message).toList();
            ArrayNode messages = JsonNodeFactory.instance.arrayNode();
            sent.forEach(messages::add);
            String webhook = a.claim().lease().webhookId();
            insert.bind("webhook", webhook).bind("run", r.runNumber())
                    .bind("started", t.startMicros()).bind("duration", t.durationMicros())
                    .bind("status", t.outcome().status())
                    .bind("error", t.error() == null ? null : t.error().wire())
                    .bind("reason", t.outcome().reason())
                    .bind("answer", firstBytes(t.outcome().answer()))
                    .bind("messages", Json.write(messages))
                    .bind("deliveryId", NotificationIds.of(a.deliveryId(), sent))
                    .bind("next", r.nextAttempt())
                    .add();
            // Run numbers start at 1: a webhook with no more than keep runs has nothing to prune.
            if (r.runNumber() > keep) {
                prune.bind("webhook", webhook).bind("oldest", r.runNumber() - keep).add();
                pruning = true;
            }
        }
        insert.execute();
        if (pruning) prune.execute();
    }

    /** Sets the next planned attempt of attempts already recorded (by webhook and run number). */
    static void plan(Handle h, List<Recorded> attempts) {
        if (attempts.isEmpty()) return;
        PreparedBatch update = h.prepareBatch("UPDATE webhook_attempts SET next_attempt = :next "
                + "WHERE webhook_id = :webhook AND run_number = :run");
        for (Recorded r : attempts) {
            update.bind("webhook", r.attempt().claim().lease().webhookId()).bind("run", r.runNumber())
                    .bind("next", r.nextAttempt()).add();
        }
        update.execute();
    }

    /** The webhook's recorded attempts, newest first, as the API shows them. */
    static ArrayNode read(Handle h, String webhookId) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        h.createQuery("SELECT run_number, started, duration, status, error, reason, answer, messages, delivery_id, "
                        + "next_attempt FROM webhook_attempts WHERE webhook_id = ? ORDER BY run_number DESC")
                .bind(0, webhookId)
                .map((rs, ctx) -> {
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    o.put("run", rs.getLong("run_number"));
                    o.put("timestamp", ChangeClock.toSeconds(rs.getLong("started")));
                    o.put("durationMs", rs.getLong("duration") / 1000.0);
                    o.put("status", rs.getInt("status"));
                    o.put("error", rs.getString("error"));
                    o.put("reason", rs.getString("reason"));
                    o.put("answer", rs.getString("answer"));
                    o.set("messages", Json.read(rs.getString("messages")));
                    o.put("deliveryId", rs.getString("delivery_id"));
                    long next = rs.getLong("next_attempt");
                    if (rs.wasNull()) o.putNull("nextAttempt");
                    else o.put("nextAttempt", ChangeClock.toSeconds(next));
                    return o;
                })
                .forEach(out::add);
        return out;
    }

    /** The longest start of {@code text} that fits in {@link #ANSWER_BYTES} of UTF-8, never splitting a character. */
    static String firstBytes(String text) {
        if (text == null) return null;
        if (text.length() * 3L <= ANSWER_BYTES) return text;
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
        ByteBuffer room = ByteBuffer.allocate(ANSWER_BYTES);
        CharBuffer in = CharBuffer.wrap(text);
        encoder.encode(in, room, true);
        return text.substring(0, in.position());
    }
}
