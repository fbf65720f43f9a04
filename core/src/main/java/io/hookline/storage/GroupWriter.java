package io.hookline.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.function.Function;

/**
 * The one writer of the SQLite database. Callers hand it work; a single thread runs queued work in groups, each unit inside
 * its own savepoint of one shared transaction, and commits once per group (group commit). A unit that fails rolls back
 * to its savepoint alone, so every request still commits fully or not at all, while many concurrent requests share one
 * fsync. Work must do only database reads and writes: never network I/O.
 */
public final class GroupWriter implements Writer {
    private static final Logger LOG = LoggerFactory.getLogger(GroupWriter.class);

    private final Jdbi jdbi;
    private final ChangeClock clock;
    private final int maxGroup;
    private final BlockingQueue<QueuedWrite<?>> queue;
    private final List<ChangeSink> sinks = new CopyOnWriteArrayList<>();
    private final WriteCounts counts = new WriteCounts();
    private volatile boolean running;
    private Thread thread;

    public GroupWriter(Jdbi jdbi, ChangeClock clock, int maxGroup, int queueCapacity) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.maxGroup = maxGroup;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
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
        CompletableFuture<T> result = writeAsync(work);
        return Writer.await(result);
    }

    /** One writer, no row locks: a group's units take no locks that another transaction could wait on. */
    @Override
    public <T> T writeAlone(Function<WriteTx, T> work) {
        return write(work);
    }

    /** Queues {@code work}, waiting only while the queue is full; the future completes on the writer thread. */
    @Override
    public <T> CompletableFuture<T> writeAsync(Function<WriteTx, T> work) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("nested write");
        }
        return QueuedWrite.enqueue(queue, work);
    }

    /** One writer thread: every user's writes are already in one line. */
    @Override
    public <T> CompletableFuture<T> writeAsync(long userId, Function<WriteTx, T> work) {
        return writeAsync(work);
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::loop, "hookline-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    private void loop() {
        List<QueuedWrite<?>> group = new ArrayList<>(maxGroup);
        while (running || !queue.isEmpty()) {
            try {
                QueuedWrite<?> first = queue.take();
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                runGroup(group);
            } catch (InterruptedException e) {
                if (!running) {
                    // drain what was accepted before stopping
                    queue.drainTo(group);
                    if (!group.isEmpty()) runGroup(group);
                    return;
                }
            } finally {
                group.clear();
            }
        }
    }

    private void runGroup(List<QueuedWrite<?>> group) {
        List<QueuedWrite<?>> succeeded = new ArrayList<>(group.size());
        Map<Long, Set<String>> changes = new LinkedHashMap<>();
        Map<Long, List<Touch>> touches = new LinkedHashMap<>();
        List<Long> stamps = new ArrayList<>(group.size());
        List<Runnable> afterCommit = new ArrayList<>(sinks.size());
        List<Runnable> unitActions = new ArrayList<>();
        try (Handle h = jdbi.open()) {
            h.begin();
            try {
                long last = 0;
                SharedReads reads = new SharedReads();
                for (QueuedWrite<?> task : group) {
                    long now = clock.beginWrite();
                    stamps.add(now);
                    last = now;
                    WriteTx tx = new WriteTx(h, now, reads);
                    // Raw savepoints: each unit rolls back alone without ending the group's transaction.
                    h.execute("SAVEPOINT unit");
                    try {
                        task.run(tx);
                        h.execute("RELEASE unit");
                        succeeded.add(task);
                        tx.changes().forEach((user, messages) ->
                                changes.computeIfAbsent(user, k -> new LinkedHashSet<>()).addAll(messages));
                        tx.touches().forEach((user, touched) ->
                                touches.computeIfAbsent(user, k -> new ArrayList<>()).addAll(touched));
                        unitActions.addAll(tx.afterCommitActions());
                    } catch (RuntimeException | Error e) {
                        h.execute("ROLLBACK TO unit");
                        h.execute("RELEASE unit");
                        reads.clear();
                        task.fail(e);
                    }
                }
                if (!changes.isEmpty()) {
                    for (ChangeSink sink : sinks) afterCommit.add(sink.record(h, changes, touches, last));
                }
                h.commit();
                counts.committed(succeeded.size());
            } catch (RuntimeException e) {
                safeRollback(h);
                throw e;
            } finally {
                stamps.forEach(clock::finished);
            }
        } catch (RuntimeException e) {
            LOG.error("Write group of {} failed to commit", group.size(), e);
            for (QueuedWrite<?> task : group) task.fail(e);
            return;
        }
        // Before answering: a client told its access was deleted must find it gone on its next request.
        Writer.runAll(afterCommit);
        Writer.runAll(unitActions);
        for (QueuedWrite<?> task : succeeded) task.settle();
    }

    private static void safeRollback(Handle h) {
        try {
            h.rollback();
        } catch (RuntimeException e) {
            LOG.warn("Rollback failed", e);
        }
    }
}
