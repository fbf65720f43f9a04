package io.hookline.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.lifecycle.Managed;
import io.hookline.auth.UserStore;
import io.hookline.edge.Meta;
import io.hookline.notifier.BlockedTargetException;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.Messages;
import io.hookline.notifier.Notification;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.Database;
import io.hookline.storage.Ids;
import io.hookline.webhooks.Webhook;
import io.hookline.webhooks.WebhookStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers pending notifications. A scheduler thread takes the webhooks that are due from the {@link Schedule}, reads
 * them and their pending messages in one read per batch, and starts each delivery through its notifier's
 * {@link Notifier#deliverAsync}: no thread waits on a receiver. Each target host has a bounded number of deliveries
 * in flight ({@link HostLimits}), so that a host that hangs holds only its own places. Each outcome goes to the
 * {@link RunRecorder}, which records finished attempts in batches (runs, counters, state, next due time, removal of
 * what was delivered).
 * A notifier that throws or hangs costs only its own webhook an attempt.
 */
public final class DeliveryEngine implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    /** Most webhooks read in one transaction. */
    private static final int READ_BATCH = 256;

    private final Database db;
    private final Notifiers notifiers;
    private final Meta meta;
    private final ObjectMapper json;
    private final Duration attemptTimeout;
    private final int maxInFlight;
    private final DeliveryMetrics metrics;
    private final Schedule schedule = new Schedule();
    private final RunRecorder recorder;
    private final HostLimits hosts;
    private ExecutorService blocking;
    private Thread scheduler;
    private volatile boolean running;

    public DeliveryEngine(Database db, Notifiers notifiers, Meta meta, ObjectMapper json, RunRules rules,
                          Duration attemptTimeout, int maxInFlight, int maxInFlightPerHost, DeliveryMetrics metrics) {
        this.db = db;
        this.notifiers = notifiers;
        this.meta = meta;
        this.json = json;
        this.attemptTimeout = attemptTimeout;
        this.maxInFlight = maxInFlight;
        this.metrics = metrics;
        this.recorder = new RunRecorder(db, rules, schedule);
        this.hosts = new HostLimits(maxInFlightPerHost);
        metrics.watch(schedule, db.clock()::nowMicros);
    }

    @Override
    public void start() {
        blocking = Executors.newCachedThreadPool(named("hookline-notifier-blocking"));
        recorder.start();
        // Tell every active webhook the service (re)started, with whatever was pending, then rebuild the schedule.
        db.write(tx -> WebhookStore.addPendingToAllActive(tx.handle(), Messages.SERVICE_BOOT, tx.now()));
        offerAll(db.read(WebhookStore::allDue));
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
        // Let deliveries in flight end (each is bounded by the attempt limit) and their runs be recorded.
        long deadline = System.nanoTime() + attemptTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        while (schedule.inFlightCount() > 0 && System.nanoTime() < deadline) {
            schedule.awaitIdle(100);
        }
        recorder.stop();
        if (blocking != null) blocking.shutdownNow();
    }

    /** Schedules a webhook whose pending messages may be delivered from {@code due} (microseconds) on. */
    public void offer(String webhookId, long due) {
        schedule.offer(webhookId, due);
    }

    public void offerAll(List<WebhookStore.Due> due) {
        Map<String, Long> byId = new HashMap<>();
        due.forEach(d -> byId.merge(d.webhookId(), d.nextAttemptAt(), Math::min));
        schedule.offerAll(byId);
    }

    public void forget(String webhookId) {
        schedule.forget(webhookId);
        hosts.withdraw(webhookId).ifPresent(this::dueNow);
    }

    private void dueNow(String webhookId) {
        schedule.offer(webhookId, db.clock().nowMicros());
    }

    /** {@code webhooks.test}: one {@code test} notification now, whatever the throttle and state; records no run. */
    public DeliveryOutcome test(Webhook w) {
        String username = db.read(h -> UserStore.usernames(h, List.of(w.userId())).get(w.userId()));
        Notification n = notification(w, username, "msg_" + Ids.newToken(), List.of(Messages.TEST), 1,
                db.clock().instant());
        return call(w, n).join();
    }

    private void loop() {
        while (running) {
            try {
                schedule.awaitWork(db.clock()::nowMicros, 1000, maxInFlight);
                int room = maxInFlight - schedule.inFlightCount();
                if (room <= 0) continue;
                List<String> due = schedule.takeDue(db.clock().nowMicros(), Math.min(room, READ_BATCH));
                if (!due.isEmpty()) startAll(due);
            } catch (InterruptedException e) {
                if (!running) return;
            } catch (RuntimeException e) {
                LOG.error("Delivery scheduler error", e);
            }
        }
    }

    /** Reads the due webhooks and what is pending for them in one transaction, then starts each delivery. */
    private void startAll(List<String> ids) {
        Batch batch;
        try {
            batch = db.read(h -> {
                List<Webhook> webhooks = WebhookStore.findAll(h, ids);
                return new Batch(webhooks, WebhookStore.pendingOf(h, ids),
                        UserStore.usernames(h, webhooks.stream().map(Webhook::userId).distinct().toList()));
            });
        } catch (RuntimeException e) {
            LOG.error("Reading {} due webhook(s) failed; retrying in a second", ids.size(), e);
            long later = db.clock().nowMicros() + 1_000_000;
            ids.forEach(id -> schedule.finished(id, true, later));
            return;
        }
        Map<String, Webhook> found = new HashMap<>();
        batch.webhooks().forEach(w -> found.put(w.id(), w));
        long now = db.clock().nowMicros();
        for (String id : ids) {
            Webhook w = found.get(id);
            List<WebhookStore.Pending> pending = batch.pending().getOrDefault(id, List.of());
            if (w == null || !w.isActive() || pending.isEmpty()) {
                hosts.withdraw(id).ifPresent(this::dueNow);
                // Work offered while this attempt finds nothing is due when the database says (the throttle).
                schedule.finished(id, false, w == null || !w.isActive() ? now : Math.max(now, w.nextAttemptAt()));
                continue;
            }
            String host = hostOf(w);
            if (host != null && !hosts.admit(host, id)) {
                // Its host is full: it waits in the host's line and is scheduled again when a place frees.
                schedule.finished(id, false, now);
                continue;
            }
            start(w, pending, batch.usernames().get(w.userId()), host);
        }
    }

    private record Batch(List<Webhook> webhooks, Map<String, List<WebhookStore.Pending>> pending,
                         Map<Long, String> usernames) {
    }

    /**
     * Starts one delivery; its outcome always reaches the recorder, which ends it in the schedule. Its place at the
     * host ({@code null}: not limited) is given back as soon as the notifier is done.
     */
    private void start(Webhook w, List<WebhookStore.Pending> pending, String username, String host) {
        try {
            String deliveryId = w.deliveryId() != null ? w.deliveryId() : "msg_" + Ids.newToken();
            long startMicros = db.clock().nowMicros();
            Notification n = notification(w, username, deliveryId,
                    pending.stream().map(WebhookStore.Pending::message).toList(), w.currentRetries() + 1,
                    db.clock().instant());
            long minInterval = effectiveMinInterval(w);
            call(w, n).thenAccept(outcome -> {
                releaseHost(host);
                metrics.record(outcome, db.clock().nowMicros() - startMicros);
                recorder.add(new RunRecorder.Attempt(w, outcome, startMicros, minInterval, deliveryId, pending));
            });
        } catch (RuntimeException e) {
            LOG.error("Delivery of webhook {} could not start", w.id(), e);
            releaseHost(host);
            schedule.finished(w.id(), true, db.clock().nowMicros() + 1_000_000);
        }
    }

    private void releaseHost(String host) {
        if (host != null) hosts.release(host).ifPresent(this::dueNow);
    }

    /** The host and port a delivery connects to, or null when the notifier's url is no network target. */
    private String hostOf(Webhook w) {
        if (!notifiers.find(w.type()).map(Notifier::urlIsNetworkTarget).orElse(false)) return null;
        try {
            URI u = URI.create(w.url());
            if (u.getHost() == null) return null;
            int port = u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            return u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Starts the notifier and bounds it by the attempt limit, so that a notifier that hangs costs its webhook one
     * failed run. The future never fails: every failure becomes a {@link DeliveryOutcome.Retry}.
     */
    private CompletableFuture<DeliveryOutcome> call(Webhook w, Notification n) {
        Optional<Notifier> notifier = notifiers.find(w.type());
        if (notifier.isEmpty()) {
            return CompletableFuture.completedFuture(
                    DeliveryOutcome.retry(0, "no notifier is installed for type \"" + w.type() + "\""));
        }
        CompletableFuture<DeliveryOutcome> started;
        try {
            started = notifier.get().deliverAsync(n, blocking);
            if (started == null) started = CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.orTimeout(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((outcome, failure) -> failure == null ? orRetry(outcome) : failed(w, failure));
    }

    private static DeliveryOutcome orRetry(DeliveryOutcome outcome) {
        return outcome == null ? DeliveryOutcome.retry(0, "notifier returned no outcome") : outcome;
    }

    private DeliveryOutcome failed(Webhook w, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return DeliveryOutcome.retry(0, "timed out after " + attemptTimeout.toMillis() + " ms");
        }
        if (cause instanceof BlockedTargetException) return DeliveryOutcome.retry(0, cause.getMessage());
        if (cause instanceof IOException) return DeliveryOutcome.retry(0, "no answer: " + cause.getMessage());
        return DeliveryOutcome.retry(0, "notifier \"" + w.type() + "\" failed: " + cause);
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

    /** The webhook's minimum interval, or its notifier's when that is longer (Slack: one second). */
    public long effectiveMinInterval(Webhook w) {
        long pluginMin = notifiers.find(w.type()).map(n -> n.minInterval().toMillis()).orElse(0L);
        return Math.max(w.minIntervalMs(), pluginMin);
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
