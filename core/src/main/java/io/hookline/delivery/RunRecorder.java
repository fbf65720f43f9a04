package io.hookline.delivery;

import io.hookline.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records finished delivery attempts through {@link DeliveryStore#finish}, in batches, one transaction per batch:
 * while a batch is being committed, the attempts that finish meanwhile wait and go in the next one. A claim ends
 * only once its run is committed, so the next attempt always starts from the recorded state.
 */
final class RunRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);
    /** Most attempts recorded in one writer unit. */
    private static final int MAX_BATCH = 1000;

    private final Database db;
    private final DeliveryStore store;
    private final ConcurrentLinkedQueue<DeliveryStore.Attempt> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private ExecutorService completions;

    RunRecorder(Database db, DeliveryStore store) {
        this.db = db;
        this.store = store;
    }

    void start() {
        completions = Executors.newSingleThreadExecutor(DeliveryEngine.named("hookline-delivery-recorder"));
    }

    void stop() {
        if (completions != null) completions.shutdown();
    }

    /** Queues a finished attempt; it is recorded with the next batch. Never blocks for long. */
    void add(DeliveryStore.Attempt attempt) {
        finished.add(attempt);
        writeIfIdle();
    }

    private void writeIfIdle() {
        if (finished.isEmpty() || !writing.compareAndSet(false, true)) return;
        List<DeliveryStore.Attempt> batch = new ArrayList<>();
        for (DeliveryStore.Attempt a; batch.size() < MAX_BATCH && (a = finished.poll()) != null; ) batch.add(a);
        if (batch.isEmpty()) {
            writing.set(false);
            if (!finished.isEmpty()) writeIfIdle();
            return;
        }
        CompletableFuture<List<DeliveryStore.Finished>> written;
        try {
            // Alone: finishing takes its row locks in an order of its own (see PostgresDeliveryStore.finish).
            written = CompletableFuture.supplyAsync(() -> db.writeAlone(tx -> store.finish(tx, batch)), completions);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenCompleteAsync((results, failure) -> {
            try {
                if (failure == null) {
                    logDeactivations(batch, results);
                    store.ended(results);
                } else {
                    LOG.error("Recording {} delivery run(s) failed; they will be attempted again", batch.size(),
                            failure);
                    long later = db.clock().nowMicros() + RunRules.RETRY_AFTER_STORE_FAILURE_MICROS;
                    batch.forEach(a -> store.release(a.claim().lease(), true, later));
                }
            } finally {
                writing.set(false);
                writeIfIdle();
            }
        }, completions);
    }

    private static void logDeactivations(List<DeliveryStore.Attempt> batch, List<DeliveryStore.Finished> results) {
        for (int i = 0; i < results.size(); i++) {
            DeliveryStore.Finished f = results.get(i);
            if (f.deactivated()) {
                LOG.warn("Webhook {} deactivated after {} consecutive failure(s): {}", f.lease().webhookId(),
                        f.state().currentRetries(), batch.get(i).outcome().reason());
            }
        }
    }
}
