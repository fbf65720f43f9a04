package io.hookline.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.lifecycle.Managed;
import io.hookline.edge.Meta;
import io.hookline.notifier.BlockedTargetException;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.Notification;
import io.hookline.notifier.Notifier;
import io.hookline.notify.Notifiers;
import io.hookline.storage.ChangeClock;
import io.hookline.storage.Database;
import io.hookline.storage.Ids;
import io.hookline.webhooks.Webhook;
import io.hookline.webhooks.WebhookStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers pending notifications. A scheduler thread takes webhooks that are due from the {@link Schedule} and
 * runs each attempt on a bounded pool: read the pending messages, call the webhook's notifier under a time limit,
 * then record the run, counters, state, next due time and the removal of what was delivered in one short write.
 * A notifier that throws or hangs costs only its own webhook an attempt.
 */
public final class DeliveryEngine implements Managed {
    public static final String BOOT_MESSAGE = "webhooksServiceBoot";
    public static final String TEST_MESSAGE = "test";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

    private final Database db;
    private final Notifiers notifiers;
    private final Meta meta;
    private final ObjectMapper json;
    private final RunRules rules;
    private final Duration attemptTimeout;
    private final int threads;
    private final DeliveryMetrics metrics;
    private final Schedule schedule = new Schedule();
    private ExecutorService pool;
    private ExecutorService callers;
    private Thread scheduler;
    private volatile boolean running;

    public DeliveryEngine(Database db, Notifiers notifiers, Meta meta, ObjectMapper json, RunRules rules,
                          Duration attemptTimeout, int threads, DeliveryMetrics metrics) {
        this.db = db;
        this.notifiers = notifiers;
        this.meta = meta;
        this.json = json;
        this.rules = rules;
        this.attemptTimeout = attemptTimeout;
        this.threads = threads;
        this.metrics = metrics;
    }

    @Override
    public void start() {
        pool = Executors.newFixedThreadPool(threads, named("hookline-delivery"));
        callers = Executors.newCachedThreadPool(named("hookline-notifier-call"));
        // Tell every active webhook the service (re)started, with whatever was pending, then rebuild the schedule.
        db.write(tx -> WebhookStore.addPendingToAllActive(tx.handle(), BOOT_MESSAGE, tx.now()));
        db.read(WebhookStore::allDue).forEach(d -> schedule.offer(d.webhookId(), d.nextAttemptAt()));
        running = true;
        scheduler = new Thread(this::loop, "hookline-delivery-scheduler");
        scheduler.setDaemon(true);
        scheduler.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (scheduler != null) {
            scheduler.interrupt();
            scheduler.join(5000);
        }
        if (pool != null) {
            pool.shutdown();
            if (!pool.awaitTermination(attemptTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) pool.shutdownNow();
        }
        if (callers != null) callers.shutdownNow();
    }

    /** Schedules a webhook whose pending messages may be delivered from {@code due} (microseconds) on. */
    public void offer(String webhookId, long due) {
        schedule.offer(webhookId, due);
    }

    public void offerAll(List<WebhookStore.Due> due) {
        due.forEach(d -> schedule.offer(d.webhookId(), d.nextAttemptAt()));
    }

    public void forget(String webhookId) {
        schedule.forget(webhookId);
    }

    public Schedule schedule() {
        return schedule;
    }

    /** {@code webhooks.test}: one {@code test} notification now, whatever the throttle and state; records no run. */
    public DeliveryOutcome test(Webhook w) {
        Instant now = Instant.now();
        String username = db.read(h -> usernameOf(h, w));
        Notification n = notification(w, username, "msg_" + Ids.newToken(), List.of(TEST_MESSAGE), 1, now);
        return call(w, n);
    }

    private void loop() {
        while (running) {
            try {
                schedule.awaitWork(db.clock()::nowMicros, 1000, threads);
                int room = threads - schedule.inFlightCount();
                if (room <= 0) continue;
                for (String id : schedule.takeDue(db.clock().nowMicros(), room)) {
                    pool.execute(() -> attempt(id));
                }
            } catch (InterruptedException e) {
                if (!running) return;
            } catch (RuntimeException e) {
                LOG.error("Delivery scheduler error", e);
            }
        }
    }

    /** One attempt for one webhook; always ends with {@link Schedule#finished}. */
    private void attempt(String id) {
        boolean pendingRemains = false;
        long next = db.clock().nowMicros();
        try {
            // One read transaction: the webhook, what is pending for it, and whose it is.
            Work work = db.read(h -> WebhookStore.find(h, id)
                    .filter(Webhook::isActive)
                    .map(found -> new Work(found, WebhookStore.pending(h, id), usernameOf(h, found)))
                    .orElse(null));
            if (work == null) return;
            Webhook w = work.webhook();
            List<WebhookStore.Pending> pending = work.pending();
            // If work is offered while this attempt finds nothing to do, it is due when the database says
            // (the throttle from the last delivery), not now.
            next = Math.max(next, w.nextAttemptAt());
            if (pending.isEmpty()) return;
            String deliveryId = w.deliveryId() != null ? w.deliveryId() : "msg_" + Ids.newToken();
            Instant start = Instant.now();
            long startMicros = db.clock().nowMicros();
            Notification n = notification(w, work.username(), deliveryId, pending.stream().map(WebhookStore.Pending::message).toList(),
                    w.currentRetries() + 1, start);
            DeliveryOutcome outcome = call(w, n);
            long minInterval = effectiveMinInterval(w);
            metrics.record(outcome, db.clock().nowMicros() - startMicros);
            RunResult r = record(id, outcome, startMicros, minInterval, deliveryId, pending);
            pendingRemains = r.pendingRemains;
            next = r.nextAttemptAt;
        } catch (RuntimeException e) {
            LOG.error("Delivery of webhook {} failed unexpectedly", id, e);
            pendingRemains = true;
            next = db.clock().nowMicros() + 1_000_000;
        } finally {
            schedule.finished(id, pendingRemains, next);
        }
    }

    private record Work(Webhook webhook, List<WebhookStore.Pending> pending, String username) {
    }

    private record RunResult(boolean pendingRemains, long nextAttemptAt) {
    }

    private RunResult record(String id, DeliveryOutcome outcome, long startMicros, long minInterval, String deliveryId,
                             List<WebhookStore.Pending> pending) {
        return db.write(tx -> {
            Optional<Webhook> current = WebhookStore.find(tx.handle(), id);
            if (current.isEmpty()) return new RunResult(false, 0);
            Webhook after = rules.apply(current.get(), outcome, startMicros, tx.now(), minInterval, deliveryId);
            WebhookStore.updateAfterRun(tx.handle(), after);
            if (outcome instanceof DeliveryOutcome.Delivered) {
                WebhookStore.removeDelivered(tx.handle(), id, pending);
            }
            if (!after.isActive()) {
                LOG.warn("Webhook {} deactivated after {} consecutive failure(s): {}", id, after.currentRetries(),
                        outcome.reason());
                return new RunResult(false, after.nextAttemptAt());
            }
            return new RunResult(WebhookStore.hasPending(tx.handle(), id), after.nextAttemptAt());
        });
    }

    /**
     * Calls the notifier on a separate thread and waits at most the attempt time limit, so that a notifier that
     * hangs (even one deaf to interrupts) costs its webhook one failed run, not a delivery thread forever.
     */
    private DeliveryOutcome call(Webhook w, Notification n) {
        Optional<Notifier> notifier = notifiers.find(w.type());
        if (notifier.isEmpty()) {
            return DeliveryOutcome.retry(0, "no notifier is installed for type \"" + w.type() + "\"");
        }
        Future<DeliveryOutcome> call = callers.submit(() -> notifier.get().deliver(n));
        try {
            DeliveryOutcome o = call.get(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return o == null ? DeliveryOutcome.retry(0, "notifier returned no outcome") : o;
        } catch (TimeoutException e) {
            call.cancel(true);
            return DeliveryOutcome.retry(0, "timed out after " + attemptTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return DeliveryOutcome.retry(0, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BlockedTargetException) return DeliveryOutcome.retry(0, cause.getMessage());
            if (cause instanceof IOException) return DeliveryOutcome.retry(0, "no answer: " + cause.getMessage());
            return DeliveryOutcome.retry(0, "notifier \"" + w.type() + "\" failed: " + cause);
        }
    }

    private Notification notification(Webhook w, String username, String deliveryId, List<String> messages,
                                      int attempt, Instant at) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        messages.forEach(body.putArray("messages")::add);
        body.set("meta", meta.at(db.clock().horizon()));
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Notification(w.id(), deliveryId, username, w.url(), w.settings(), List.copyOf(messages),
                bytes, attempt, at);
    }

    private static String usernameOf(org.jdbi.v3.core.Handle h, Webhook w) {
        return h.createQuery("SELECT username FROM users WHERE id = ?").bind(0, w.userId()).mapTo(String.class).one();
    }

    /** The webhook's minimum interval, or its notifier's when that is longer (Slack: one second). */
    public long effectiveMinInterval(Webhook w) {
        long pluginMin = notifiers.find(w.type()).map(n -> n.minInterval().toMillis()).orElse(0L);
        return Math.max(w.minIntervalMs(), pluginMin);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
