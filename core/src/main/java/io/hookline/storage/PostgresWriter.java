package io.hookline.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The writer of a PostgreSQL database: each unit of work is one read-committed transaction on a pooled connection,
 * several at once (the pool's size bounds them). The sinks record their pending notifications inside that
 * transaction, so a change and its notifications commit together as on SQLite. A transaction that fails on a
 * serialization failure or a deadlock is run again; so is one that hit a unique key a concurrent transaction had just
 * committed, so that the work's own existence checks answer it (for example "item already exists") on the next run.
 */
public final class PostgresWriter implements Writer {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresWriter.class);
    /** serialization_failure, deadlock_detected, unique_violation. */
    private static final Set<String> RETRIED = Set.of("40001", "40P01", "23505");
    static final int MAX_ATTEMPTS = 5;

    private final Jdbi jdbi;
    private final ChangeClock clock;
    private final int threads;
    private final int queueCapacity;
    private final List<ChangeSink> sinks = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Boolean> writing = ThreadLocal.withInitial(() -> false);
    private ThreadPoolExecutor async;

    /**
     * @param threads       writes run at once by {@link #writeAsync}; {@link #write} runs on the caller's thread
     * @param queueCapacity asynchronous writes waiting for a thread; past it the caller runs its write itself
     */
    public PostgresWriter(Jdbi jdbi, ChangeClock clock, int threads, int queueCapacity) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.threads = threads;
        this.queueCapacity = queueCapacity;
    }

    @Override
    public void addChangeSink(ChangeSink sink) {
        sinks.add(sink);
    }

    @Override
    public <T> T write(Function<WriteTx, T> work) {
        if (writing.get()) throw new IllegalStateException("nested write");
        writing.set(true);
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return attempt(work);
                } catch (RuntimeException e) {
                    String state = sqlState(e);
                    if (attempt >= MAX_ATTEMPTS || state == null || !RETRIED.contains(state)) throw e;
                    LOG.debug("Write attempt {} lost a race (SQLSTATE {}); running it again", attempt, state);
                    pause(attempt);
                }
            }
        } finally {
            writing.remove();
        }
    }

    @Override
    public <T> CompletableFuture<T> writeAsync(Function<WriteTx, T> work) {
        if (async == null) throw new IllegalStateException("writer not started");
        return CompletableFuture.supplyAsync(() -> write(work), async);
    }

    private <T> T attempt(Function<WriteTx, T> work) {
        List<Runnable> afterCommit = new ArrayList<>(sinks.size());
        T value;
        try (Handle h = jdbi.open()) {
            h.begin();
            long now;
            try {
                // Stamped from the server's clock after the transaction took its id (see PostgresClock), when the
                // horizon is the database's.
                now = clock.shared() ? clock.beginWriteAtLeast(PostgresClock.writeStart(h)) : clock.beginWrite();
            } catch (RuntimeException | Error e) {
                rollback(h, e);
                throw e;
            }
            try {
                WriteTx tx = new WriteTx(h, now);
                value = work.apply(tx);
                if (!tx.changes().isEmpty()) {
                    for (ChangeSink sink : sinks) afterCommit.add(sink.record(h, tx.changes(), tx.touches(), now));
                }
                afterCommit.addAll(tx.afterCommitActions());
                h.commit();
            } catch (RuntimeException | Error e) {
                rollback(h, e);
                throw e;
            } finally {
                clock.finished(now);
            }
        }
        Writer.runAll(afterCommit);
        return value;
    }

    private static void rollback(Handle h, Throwable failure) {
        try {
            h.rollback();
        } catch (RuntimeException rollback) {
            failure.addSuppressed(rollback);
        }
    }

    /** A short random pause before running a transaction again, so that two that collided do not collide again. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing", e);
        }
    }

    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) return sql.getSQLState();
        }
        return null;
    }

    @Override
    public synchronized void start() {
        AtomicInteger n = new AtomicInteger();
        async = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, "hookline-writer-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (async == null) return;
        // Writes already accepted still run.
        async.shutdown();
        if (!async.awaitTermination(10, TimeUnit.SECONDS)) LOG.warn("Asynchronous writes still running at stop");
    }
}
