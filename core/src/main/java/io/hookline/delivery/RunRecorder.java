package io.hookline.delivery;

import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.Database;
import io.hookline.storage.WriteTx;
import io.hookline.webhooks.Webhook;
import io.hookline.webhooks.WebhookStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records finished delivery attempts: runs, counters, state, next due time, and the removal of what was delivered.
 * Attempts are written in batches, one writer unit per batch: while a batch is being committed, the attempts that
 * finish meanwhile wait and go in the next one. A webhook's attempt ends in the {@link Schedule} only once its run is
 * committed, so the next attempt always starts from the recorded state.
 */
final class RunRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);
    /** Most attempts recorded in one writer unit. */
    private static final int MAX_BATCH = 1000;

    /** One finished attempt: the webhook as read before it, how it went, and the messages it carried. */
    record Attempt(Webhook webhook, DeliveryOutcome outcome, boolean held, long startMicros, long minIntervalMs,
                   String deliveryId, List<WebhookStore.Pending> pending) {
    }

    private record Result(String webhookId, boolean pendingRemains, long nextAttemptAt) {
    }

    private final Database db;
    private final RunRules rules;
    private final Schedule schedule;
    private final ConcurrentLinkedQueue<Attempt> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private ExecutorService completions;

    RunRecorder(Database db, RunRules rules, Schedule schedule) {
        this.db = db;
        this.rules = rules;
        this.schedule = schedule;
    }

    void start() {
        completions = Executors.newSingleThreadExecutor(DeliveryEngine.named("hookline-delivery-recorder"));
    }

    void stop() {
        if (completions != null) completions.shutdown();
    }

    /** Queues a finished attempt; it is recorded with the next batch. Never blocks for long. */
    void add(Attempt attempt) {
        finished.add(attempt);
        writeIfIdle();
    }

    private void writeIfIdle() {
        if (finished.isEmpty() || !writing.compareAndSet(false, true)) return;
        List<Attempt> batch = new ArrayList<>();
        for (Attempt a; batch.size() < MAX_BATCH && (a = finished.poll()) != null; ) batch.add(a);
        if (batch.isEmpty()) {
            writing.set(false);
            if (!finished.isEmpty()) writeIfIdle();
            return;
        }
        CompletableFuture<List<Result>> written;
        try {
            written = db.writeAsync(tx -> record(tx, batch));
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        // Off the writer thread: ending attempts and starting the next batch must not run there.
        written.whenCompleteAsync((results, failure) -> {
            try {
                if (failure == null) {
                    results.forEach(r -> schedule.finished(r.webhookId(), r.pendingRemains(), r.nextAttemptAt()));
                } else {
                    LOG.error("Recording {} delivery run(s) failed; they will be attempted again", batch.size(),
                            failure);
                    long later = db.clock().nowMicros() + 1_000_000;
                    batch.forEach(a -> schedule.finished(a.webhook().id(), true, later));
                }
            } finally {
                writing.set(false);
                writeIfIdle();
            }
        }, completions);
    }

    private List<Result> record(WriteTx tx, List<Attempt> batch) {
        List<Webhook> after = new ArrayList<>(batch.size());
        for (Attempt a : batch) after.add(apply(a, a.webhook(), tx.now()));
        boolean[] saved = WebhookStore.updateAfterRunsIfUnchanged(tx.handle(), after);
        Map<String, List<WebhookStore.Pending>> delivered = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Attempt a = batch.get(i);
            String id = a.webhook().id();
            Webhook before = a.webhook();
            if (!saved[i]) {
                // A client changed (or deleted) the webhook during the attempt: apply the run to what is there now.
                Optional<Webhook> current = WebhookStore.find(tx.handle(), id);
                if (current.isEmpty()) {
                    after.set(i, null);
                    continue;
                }
                before = current.get();
                after.set(i, apply(a, before, tx.now()));
                WebhookStore.updateAfterRun(tx.handle(), after.get(i));
            }
            if (a.outcome() instanceof DeliveryOutcome.Delivered) delivered.put(id, a.pending());
            if (before.isActive() && !after.get(i).isActive()) {
                LOG.warn("Webhook {} deactivated after {} consecutive failure(s): {}", id,
                        after.get(i).currentRetries(), a.outcome().reason());
            }
        }
        // A delivered message that happened again during the attempt stays pending: the webhook is due again.
        Set<String> again = WebhookStore.removeDelivered(tx.handle(), delivered);
        List<Result> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String id = batch.get(i).webhook().id();
            Webhook w = after.get(i);
            if (w == null) {
                results.add(new Result(id, false, 0)); // deleted
            } else {
                boolean failed = !delivered.containsKey(id);
                results.add(new Result(id, w.isActive() && (failed || again.contains(id)), w.nextAttemptAt()));
            }
        }
        return results;
    }

    private Webhook apply(Attempt a, Webhook w, long now) {
        if (a.held()) {
            return rules.applyHeld(w, a.outcome().reason(), a.startMicros(), now, a.minIntervalMs(), a.deliveryId());
        }
        return rules.apply(w, a.outcome(), a.startMicros(), now, a.minIntervalMs(), a.deliveryId());
    }
}
