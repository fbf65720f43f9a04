package io.hookline.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The writer of a PostgreSQL database. Writes queued together are committed together (group commit): each of
 * {@code threads} writer threads takes the writes waiting in its own line (at most {@code maxGroup}) and runs them in
 * one read-committed transaction, so that one commit (one WAL flush) serves them all. A busy line waits up to 2 ms
 * for the writes its recent groups show are coming ({@link GroupLinger}); a quiet one never waits. A write that fails
 * rolls back alone and only its caller gets its error: the group is then rolled back and run again with a savepoint
 * per write (a savepoint costs a round trip per write, which a group that fails nothing does not pay). Statements
 * whose results no write reads (event inserts: {@link WriteTx#deferred}) are held back and sent together, in one round
 * trip, before the transaction next reads or writes anything; one that fails sends the group to its savepoints too.
 * The sinks record the pending notifications of the whole group inside that transaction, after every write of it, so
 * a change and its notifications commit together, and each {@code user_changes} row is updated once per group
 * whatever the number of writes to it.
 *
 * <p>The writes of one user ({@link #writeAsync(long, Function)}) always go to the same thread's line: two
 * transactions of one node never queue on that user's rows (its {@code user_changes} rows are locked until each
 * commit), and a busy user's writes gather into large groups. Other writes go to the lines in turn.
 *
 * <p>Races with other transactions: a write that hit a unique key a concurrent transaction had just committed is run
 * again in its savepoint, so that its own existence checks answer it (for example "item already exists"); the
 * statements of a read-committed transaction see what committed before them. A serialization failure or a deadlock
 * ends the whole transaction: its writes are run again, each in a transaction of its own, so that the next attempt
 * takes the locks of one write only. Delivery's own transactions, which take their locks in an order of their own,
 * run through {@link #writeAlone} and are never grouped.
 */
public final class PostgresWriter implements Writer {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresWriter.class);
    /** serialization_failure, deadlock_detected: the transaction is lost, not the write. */
    private static final Set<String> TRANSACTION_LOST = Set.of("40001", "40P01");
    /** unique_violation: the write raced with a committed one; running it again lets it see that one. */
    private static final String UNIQUE_VIOLATION = "23505";
    static final int MAX_ATTEMPTS = 5;

    private final Jdbi jdbi;
    private final ChangeClock clock;
    private final int threads;
    private final int maxGroup;
    /** One line of writes per writer thread. */
    private final List<BlockingQueue<QueuedWrite<?>>> lines;
    private final AtomicInteger turn = new AtomicInteger();
    private final List<ChangeSink> sinks = new CopyOnWriteArrayList<>();
    private final WriteCounts counts = new WriteCounts();
    /** Set on the writer threads and while a write runs alone: a write from there would wait for itself. */
    private final ThreadLocal<Boolean> writing = ThreadLocal.withInitial(() -> false);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param threads       transactions of grouped writes at once (each holds a connection of the pool)
     * @param maxGroup      most writes committed in one transaction
     * @param queueCapacity writes waiting for the writer threads, shared equally among their lines; past its share a
     *                      caller waits for room
     */
    public PostgresWriter(Jdbi jdbi, ChangeClock clock, int threads, int maxGroup, int queueCapacity) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.threads = threads;
        this.maxGroup = maxGroup;
        List<BlockingQueue<QueuedWrite<?>>> l = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) l.add(new ArrayBlockingQueue<>(Math.max(1, queueCapacity / threads)));
        this.lines = List.copyOf(l);
    }

    /** The line of a user's writes. */
    static int lineOf(long userId, int threads) {
        return Math.floorMod(Long.hashCode(userId * 0x9E3779B97F4A7C15L), threads);
    }

    @Override
    public WriteCounts counts() {
        return counts;
    }

    @Override
    public void addChangeSink(ChangeSink sink) {
        sinks.add(sink);
    }

    @Override
    public <T> T write(Function<WriteTx, T> work) {
        // Before start and after stop, on the caller's thread.
        if (!running) return writeAlone(work);
        return Writer.await(writeAsync(work));
    }

    @Override
    public <T> CompletableFuture<T> writeAsync(Function<WriteTx, T> work) {
        return enqueue(Math.floorMod(turn.getAndIncrement(), threads), work);
    }

    @Override
    public <T> T write(long userId, Function<WriteTx, T> work) {
        if (!running) return writeAlone(work);
        return Writer.await(writeAsync(userId, work));
    }

    @Override
    public <T> CompletableFuture<T> writeAsync(long userId, Function<WriteTx, T> work) {
        return enqueue(lineOf(userId, threads), work);
    }

    private <T> CompletableFuture<T> enqueue(int line, Function<WriteTx, T> work) {
        if (writing.get()) throw new IllegalStateException("nested write");
        if (!running) throw new IllegalStateException("writer not started");
        return QueuedWrite.enqueue(lines.get(line), work);
    }

    /** A transaction of its own on the caller's thread, run again when it is lost; see {@link Writer#writeAlone}. */
    @Override
    public <T> T writeAlone(Function<WriteTx, T> work) {
        if (writing.get()) throw new IllegalStateException("nested write");
        writing.set(true);
        try {
            QueuedWrite<T> task = QueuedWrite.of(work);
            runAlone(task);
            return Writer.await(task.result);
        } finally {
            writing.remove();
        }
    }

    /** On a pool connection in autocommit, on the caller's thread; see {@link Writer#writeOneStatement}. */
    @Override
    public <T> T writeOneStatement(Function<Handle, T> statement) {
        if (writing.get()) throw new IllegalStateException("nested write");
        try (Handle h = jdbi.open()) {
            return statement.apply(h);
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        for (int i = 1; i <= threads; i++) {
            BlockingQueue<QueuedWrite<?>> line = lines.get(i - 1);
            Thread t = new Thread(() -> loop(line), "hookline-writer-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        running = false;
        // Writes already accepted still run: each thread drains its line before it ends.
        for (Thread t : workers) t.interrupt();
        for (Thread t : workers) t.join(10_000);
        workers.clear();
    }

    private void loop(BlockingQueue<QueuedWrite<?>> queue) {
        writing.set(true);
        List<QueuedWrite<?>> group = new ArrayList<>(maxGroup);
        GroupLinger linger = new GroupLinger(maxGroup);
        while (running || !queue.isEmpty()) {
            try {
                QueuedWrite<?> first = running ? queue.take() : queue.poll();
                if (first == null) break;
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                long wait = linger.waitNanos(group.size(), System.nanoTime());
                if (wait > 0) GroupLinger.gather(queue, group, linger.target(), wait);
                linger.took(group.size(), System.nanoTime());
                runGroup(group);
            } catch (InterruptedException e) {
                // stopping: the loop drains what was accepted
            } catch (RuntimeException | Error e) {
                // Never expected (every failure is handed to its caller); the thread must not die of it.
                LOG.error("Write group of {} failed", group.size(), e);
                group.forEach(task -> task.fail(e));
            } finally {
                group.clear();
            }
        }
    }

    /**
     * Commits the group; when its transaction fails (lost to a concurrent one, or the connection broke), each of its
     * writes runs again in a transaction of its own, which takes the locks of that write only.
     */
    private void runGroup(List<QueuedWrite<?>> group) {
        if (group.size() == 1) {
            runAlone(group.get(0));
            return;
        }
        try {
            try {
                commit(group, false);
            } catch (UnitFailed e) {
                // A write of the group failed on its own: again with savepoints, so that it alone rolls back.
                commit(group, true);
            }
        } catch (RuntimeException | Error e) {
            LOG.debug("A group of {} writes failed (SQLSTATE {}); running each alone", group.size(), sqlState(e));
            group.forEach(this::runAlone);
        }
    }

    /** A grouped write failed where no savepoint could take it back alone: the whole group runs again with them. */
    private static final class UnitFailed extends RuntimeException {
        UnitFailed(Throwable cause) {
            super("a write of the group failed", cause, false, false);
        }
    }

    private void runAlone(QueuedWrite<?> task) {
        for (int attempt = 1; ; attempt++) {
            try {
                commit(List.of(task), false);
                return;
            } catch (RuntimeException | Error e) {
                String state = sqlState(e);
                boolean retried = lost(state) || UNIQUE_VIOLATION.equals(state);
                if (attempt >= MAX_ATTEMPTS || !retried || !pause(attempt)) {
                    task.fail(e);
                    return;
                }
                LOG.debug("Write attempt {} lost a race (SQLSTATE {}); running it again", attempt, state);
            }
        }
    }

    /**
     * One transaction for these writes. Their outcomes are kept and handed to the callers only once it committed
     * (a lost transaction runs them again); a write's own failure is handed even if it committed nothing.
     * Throws when the transaction itself failed.
     */
    private void commit(List<QueuedWrite<?>> tasks, boolean savepoints) {
        List<QueuedWrite<?>> alone = new ArrayList<>();
        Map<Long, Set<String>> changes = new LinkedHashMap<>();
        Map<Long, List<Touch>> touches = new LinkedHashMap<>();
        List<Runnable> afterCommit = new ArrayList<>(sinks.size());
        List<Runnable> unitActions = new ArrayList<>();
        int done = 0;
        try (Handle h = jdbi.open()) {
            h.begin();
            Stamps stamps = new Stamps(h);
            try {
                boolean grouped = tasks.size() > 1;
                SharedReads reads = new SharedReads();
                // Held back only where a failure can be taken back by running the group again in savepoints.
                DeferredStatements deferred = new DeferredStatements(h, savepoints);
                for (QueuedWrite<?> task : tasks) {
                    for (int run = 1; ; run++) {
                        WriteTx tx = new WriteTx(h, stamps::next, grouped, reads, deferred);
                        // Never released: a release costs a round trip per write, and ROLLBACK TO names the latest
                        // savepoint of that name, this write's. The group's size bounds how many the transaction has.
                        if (savepoints) h.execute("SAVEPOINT unit");
                        try {
                            task.run(tx);
                        } catch (RuntimeException | Error e) {
                            String state = sqlState(e);
                            if (grouped && !savepoints && !lost(state)) throw new UnitFailed(e);
                            if (!savepoints || lost(state)) throw e;
                            h.execute("ROLLBACK TO unit");
                            reads.clear();
                            if (e instanceof WriteTx.RunAlone) {
                                alone.add(task);
                            } else if (UNIQUE_VIOLATION.equals(state) && run < MAX_ATTEMPTS) {
                                continue;
                            } else {
                                task.failed(e);
                            }
                            break;
                        }
                        tx.changes().forEach((user, messages) ->
                                changes.computeIfAbsent(user, k -> new LinkedHashSet<>()).addAll(messages));
                        tx.touches().forEach((user, touched) ->
                                touches.computeIfAbsent(user, k -> new ArrayList<>()).addAll(touched));
                        unitActions.addAll(tx.afterCommitActions());
                        done++;
                        break;
                    }
                }
                try {
                    deferred.send();
                } catch (RuntimeException e) {
                    if (grouped && !lost(sqlState(e))) throw new UnitFailed(e);
                    throw e;
                }
                if (!changes.isEmpty()) {
                    long at = stamps.last();
                    for (ChangeSink sink : sinks) afterCommit.add(sink.record(h, changes, touches, at));
                }
                h.commit();
                counts.committed(done);
            } catch (RuntimeException | Error e) {
                rollback(h, e);
                tasks.forEach(QueuedWrite::reset);
                throw e;
            } finally {
                stamps.finish();
            }
        }
        // Before answering: a client told its access was deleted must find it gone on its next request.
        Writer.runAll(afterCommit);
        Writer.runAll(unitActions);
        for (QueuedWrite<?> task : tasks) {
            if (!alone.contains(task)) task.settle();
        }
        alone.forEach(this::runAlone);
    }

    /**
     * The change stamps of one transaction, taken when a write first asks for one: from the server's clock after the
     * transaction took its id (see {@link PostgresClock}) when the horizon is the database's. A transaction that
     * stamps nothing (delivery's claims, leases and results) spends no statement on it.
     */
    private final class Stamps {
        private final Handle h;
        private final List<Long> taken = new ArrayList<>();
        private long floor = Long.MIN_VALUE;
        private boolean started;

        Stamps(Handle h) {
            this.h = h;
        }

        long next() {
            if (!started) {
                if (clock.shared()) floor = PostgresClock.writeStart(h);
                started = true;
            }
            long now = clock.beginWriteAtLeast(floor);
            taken.add(now);
            return now;
        }

        /** The latest stamp taken, or a new one if none was. */
        long last() {
            return taken.isEmpty() ? next() : taken.get(taken.size() - 1);
        }

        void finish() {
            taken.forEach(clock::finished);
        }
    }

    private static void rollback(Handle h, Throwable failure) {
        try {
            h.rollback();
        } catch (RuntimeException rollback) {
            failure.addSuppressed(rollback);
        }
    }

    /** A short random pause before running a transaction again, so that two that collided do not collide again. */
    private static boolean pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << attempt));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean lost(String sqlState) {
        return sqlState != null && TRANSACTION_LOST.contains(sqlState);
    }

    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) return sql.getSQLState();
        }
        return null;
    }
}
