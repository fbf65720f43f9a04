package io.hookline.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
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
 * Delivers pending notifications. A scheduler thread claims the webhooks that are due from the {@link DeliveryStore}
 * (each claim comes with the webhook, its delivery state and its pending messages) and starts each delivery through
 * its notifier's {@link Notifier#deliverAsync}: no thread waits on a receiver. Each target host has a bounded number
 * of deliveries in flight ({@link HostLimits}), so that a host that hangs holds only its own places. Each outcome
 * goes to the {@link RunRecorder}, which records finished attempts in batches.
 * A notifier that throws or hangs costs only its own webhook an attempt.
 */
public final class DeliveryEngine implements Managed, Deliveries {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    /** Most webhooks claimed at once: one read each, bounded. */
    private static final int CLAIM_BATCH = 256;
    /** The scheduler wakes at least this often, to notice a stop and a due time that moved earlier. */
    private static final long MAX_IDLE_MS = 1000;
    /** A stop waits for deliveries in flight this long beyond the attempt limit, for their runs to be recorded. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);
    /** How old a node's last reading of the database's horizon may be to serve as a notification's serverTime. */
    private static final Duration NOTIFICATION_HORIZON_AGE = Duration.ofSeconds(1);

    private final Database db;
    private final DeliveryStore store;
    private final Notifiers notifiers;
    private final Meta meta;
    private final ObjectMapper json;
    private final Duration attemptTimeout;
    private final int maxInFlight;
    private final DeliveryMetrics metrics;
    private final RunRecorder recorder;
    private final HostLimits hosts;
    private final Cluster cluster;
    private final FailureLog failures = new FailureLog();
    /** Also serves {@link #testNow} on a node that does not deliver (its engine is never started). */
    private final ExecutorService blocking = Executors.newCachedThreadPool(named("hookline-notifier-blocking"));
    private Thread scheduler;
    private volatile boolean running;

    public DeliveryEngine(Database db, DeliveryStore store, Notifiers notifiers, Meta meta, ObjectMapper json,
                          Duration attemptTimeout, int maxInFlight, int maxInFlightPerHost, DeliveryMetrics metrics,
                          Cluster cluster) {
        this.db = db;
        this.store = store;
        this.notifiers = notifiers;
        this.meta = meta;
        this.json = json;
        this.attemptTimeout = attemptTimeout;
        this.maxInFlight = maxInFlight;
        this.metrics = metrics;
        this.recorder = new RunRecorder(db, store);
        this.hosts = new HostLimits(maxInFlightPerHost);
        this.cluster = cluster;
    }

    @Override
    public void start() {
        recorder.start();
        // Tell every active webhook the service (re)started, with whatever was pending, then schedule them.
        store.start(cluster.startMessages(Messages.SERVICE_BOOT));
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
        long deadline = System.nanoTime() + attemptTimeout.plus(STOP_GRACE).toNanos();
        while (store.claimedCount() > 0 && System.nanoTime() < deadline) {
            store.awaitReleased(100);
        }
        recorder.stop();
        store.releaseAll();
        blocking.shutdownNow();
    }

    @Override
    public void offer(String webhookId, long due) {
        cluster.committed(List.of(new DeliveryStore.Due(webhookId, due)));
    }

    @Override
    public void forget(String webhookId) {
        store.forget(webhookId);
        hosts.withdraw(webhookId).ifPresent(this::dueNow);
    }

    private void dueNow(String webhookId) {
        offer(webhookId, 0); // due by any clock: a node's own may differ from the database's
    }

    @Override
    public DeliveryOutcome testNow(DeliveryTarget target) {
        String username = db.read(h -> UserStore.usernames(h, List.of(target.userId())).get(target.userId()));
        Notification n = notification(target, username, "msg_" + Ids.newToken(), List.of(Messages.TEST), 1,
                db.clock().instant(), db.clock().horizon());
        return call(target, n, db.clock().nowMicros()).join().outcome();
    }

    @Override
    public ArrayNode attempts(Handle h, String webhookId) {
        return store.attempts(h, webhookId);
    }

    @Override
    public DeliveryState reactivate(Handle h, DeliveryTarget target, long now) {
        DeliveryState current = store.states(h, List.of(target.webhookId())).get(target.webhookId());
        return store.reactivate(h, target.webhookId(), current,
                RunRules.reactivationDue(current, effectiveMinIntervalMs(target), now));
    }

    @Override
    public Map<String, DeliveryState> states(Handle h, Collection<String> webhookIds) {
        return store.states(h, webhookIds);
    }

    private void loop() {
        while (running) {
            try {
                store.awaitWork(MAX_IDLE_MS, maxInFlight);
                int room = maxInFlight - store.claimedCount();
                if (room > 0) startAll(store.claimDue(Math.min(room, CLAIM_BATCH)));
            } catch (InterruptedException e) {
                if (!running) return;
            } catch (RuntimeException e) {
                LOG.error("Claiming due webhooks failed; they are tried again in a second", e);
            }
        }
    }

    /** Starts each claimed delivery; a claim with nothing to deliver, or whose host is full, is released. */
    private void startAll(List<DeliveryStore.Claim> claims) {
        long now = db.clock().nowMicros();
        // One serverTime for the batch, taken when a first delivery starts: an earlier sync point is as valid as a
        // later one, so on PostgreSQL a horizon the node read for a request within the last second serves.
        Long serverTime = null;
        for (DeliveryStore.Claim c : claims) {
            String id = c.lease().webhookId();
            if (!c.deliverable()) {
                hosts.withdraw(id).ifPresent(this::dueNow);
                // Work offered while this claim finds nothing is due when the database says (the throttle).
                boolean live = c.target() != null && c.target().active();
                store.release(c.lease(), false, live ? Math.max(now, c.state().nextAttemptAt()) : now);
                continue;
            }
            if (!store.mayStart(c.lease())) {
                // Paused since the claim: another node may be delivering it now. What is pending stays pending.
                store.release(c.lease(), true, now);
                continue;
            }
            String host = hostOf(c.target());
            if (host != null && !hosts.admit(host, id)) {
                // Its host is full: it waits in the host's line and is offered again when a place frees.
                store.release(c.lease(), false, now);
                continue;
            }
            if (serverTime == null) serverTime = db.clock().recentHorizon(NOTIFICATION_HORIZON_AGE);
            start(c, host, serverTime);
        }
    }

    /**
     * Starts one delivery; its outcome always reaches the recorder, which ends the claim. Its place at the host
     * ({@code null}: not limited) is given back as soon as the notifier is done.
     */
    private void start(DeliveryStore.Claim c, String host, long serverTime) {
        DeliveryTarget w = c.target();
        try {
            // The stored seed lives until a delivery succeeds; the id also depends on the messages carried.
            String seed = c.state().deliveryId() != null ? c.state().deliveryId() : "msg_" + Ids.newToken();
            long startMicros = db.clock().nowMicros();
            List<String> messages = c.pending().stream().map(DeliveryStore.Pending::message).toList();
            Notification n = notification(w, c.username(), NotificationIds.of(seed, messages), messages,
                    c.state().currentRetries() + 1, db.clock().instant(), serverTime);
            long minInterval = effectiveMinIntervalMs(w);
            call(w, n, startMicros).thenAccept(tried -> {
                releaseHost(host);
                metrics.record(w.type(), tried);
                if (!tried.attempted().delivered()) {
                    failures.failed(c, tried.attempted(), (startMicros + tried.durationMicros()) / 1000);
                }
                recorder.add(new DeliveryStore.Attempt(c, tried, minInterval, seed));
            });
        } catch (RuntimeException e) {
            LOG.error("Delivery of webhook {} could not start", w.webhookId(), e);
            releaseHost(host);
            store.release(c.lease(), true, db.clock().nowMicros() + RunRules.RETRY_AFTER_STORE_FAILURE_MICROS);
        }
    }

    private void releaseHost(String host) {
        if (host != null) hosts.release(host).ifPresent(this::dueNow);
    }

    /** The host and port a delivery connects to, or null when the notifier's url is no network target. */
    private String hostOf(DeliveryTarget w) {
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
     * failed run. The future never fails: every failure becomes a {@link DeliveryOutcome.Retry} with its
     * {@link AttemptError}, held when it is a problem on Hookline's side (no notifier for the type, a target the
     * operator's network policy refuses).
     */
    private CompletableFuture<Tried> call(DeliveryTarget w, Notification n, long startMicros) {
        Optional<Notifier> notifier = notifiers.find(w.type());
        if (notifier.isEmpty()) {
            return CompletableFuture.completedFuture(tried(Attempted.held("no notifier is installed for type \""
                    + w.type() + "\""), AttemptError.PLUGIN, startMicros));
        }
        CompletableFuture<DeliveryOutcome> started;
        try {
            started = notifier.get().deliverAsync(n, blocking);
            if (started == null) started = CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.orTimeout(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((outcome, failure) -> failure == null ? returned(outcome, startMicros)
                        : failed(w, failure, startMicros));
    }

    private Tried tried(Attempted attempted, AttemptError error, long startMicros) {
        return new Tried(attempted, error, startMicros, db.clock().nowMicros() - startMicros);
    }

    private Tried returned(DeliveryOutcome outcome, long startMicros) {
        if (outcome == null) {
            return tried(Attempted.of(DeliveryOutcome.retry(0, "notifier returned no outcome")), AttemptError.PLUGIN,
                    startMicros);
        }
        return tried(Attempted.of(outcome), AttemptError.of(outcome), startMicros);
    }

    private Tried failed(DeliveryTarget w, Throwable failure, long startMicros) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        AttemptError error = AttemptError.of(cause);
        if (cause instanceof TimeoutException) {
            return tried(Attempted.of(DeliveryOutcome.retry(0,
                    DeliveryMetrics.TIMED_OUT + " after " + attemptTimeout.toMillis() + " ms")), error, startMicros);
        }
        if (cause instanceof BlockedTargetException) return tried(Attempted.held(cause.getMessage()), error, startMicros);
        if (cause instanceof IOException) {
            return tried(Attempted.of(DeliveryOutcome.retry(0, "no answer: " + cause.getMessage())), error,
                    startMicros);
        }
        return tried(Attempted.of(DeliveryOutcome.retry(0, "notifier \"" + w.type() + "\" failed: " + cause)), error,
                startMicros);
    }

    private Notification notification(DeliveryTarget w, String username, String deliveryId, List<String> messages,
                                      int attempt, Instant at, long serverTime) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        messages.forEach(body.putArray("messages")::add);
        body.set("meta", meta.at(serverTime));
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Notification(w.webhookId(), deliveryId, username, w.url(), w.settings(), List.copyOf(messages),
                bytes, attempt, at);
    }

    @Override
    public long effectiveMinIntervalMs(DeliveryTarget w) {
        return RunRules.effectiveMinIntervalMs(w.minIntervalMs(),
                notifiers.find(w.type()).map(Notifier::minInterval).orElse(Duration.ZERO));
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
