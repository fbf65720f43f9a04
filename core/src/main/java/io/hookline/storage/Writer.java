package io.hookline.storage;

import io.dropwizard.lifecycle.Managed;
import org.jdbi.v3.core.Handle;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Runs units of write work, each atomically: its changes, and the pending notifications its {@link ChangeSink}s
 * record, commit together or not at all. Units queued at once are committed together, each in its own savepoint: SQLite
 * has one writer that commits groups ({@link GroupWriter}); PostgreSQL has several, each committing a group
 * ({@link PostgresWriter}). Work must do only database reads and writes, never network I/O, and may run more than once
 * on PostgreSQL (a transaction that lost a race is retried).
 */
public interface Writer extends Managed {
    @Override
    void start();

    /** Stops accepting writes; those already accepted still run. */
    @Override
    void stop() throws InterruptedException;

    /** What this writer has committed so far. */
    WriteCounts counts();

    /** Adds a receiver of the changes of every write; set them up before writing starts. */
    void addChangeSink(ChangeSink sink);

    /** Runs {@code work} in a write transaction and returns its result, or rethrows what it threw. */
    <T> T write(Function<WriteTx, T> work);

    /**
     * As {@link #write}, for work on one user's data. Where several writer threads commit (PostgreSQL), the writes of
     * one user are all taken by the same thread, in the order they came: they never wait on each other's row locks
     * (the user's {@code user_changes} rows above all), and those queued together commit in one transaction.
     */
    default <T> T write(long userId, Function<WriteTx, T> work) {
        return await(writeAsync(userId, work));
    }

    /**
     * Runs {@code work} in a write transaction of its own, never grouped with other units: for work that takes row
     * locks in an order of its own (delivery's claims and leases on PostgreSQL), which other units of a group would
     * not follow. The same as {@link #write} on SQLite, where there is one writer and no row lock.
     */
    <T> T writeAlone(Function<WriteTx, T> work);

    /**
     * Runs {@code statement}, which must run exactly one SQL statement, on a writer connection outside any transaction:
     * the statement is a transaction of its own, begun and committed in the one round trip that runs it. For work
     * that one statement can do whole (delivery's claims on PostgreSQL), so that no commit waits for another round
     * trip. The same as {@link #writeAlone} where there is one writer (SQLite).
     */
    default <T> T writeOneStatement(Function<Handle, T> statement) {
        return writeAlone(tx -> statement.apply(tx.handle()));
    }

    /**
     * Runs {@code work} in a write transaction without waiting for it. The future completes on a writer thread once
     * committed: continuations attached to it must be short, and must not write (hand them to another executor).
     */
    <T> CompletableFuture<T> writeAsync(Function<WriteTx, T> work);

    /** As {@link #writeAsync}, for work on one user's data: see {@link #write(long, Function)}. */
    <T> CompletableFuture<T> writeAsync(long userId, Function<WriteTx, T> work);

    /** Waits for a write's result, rethrowing what the work threw. */
    static <T> T await(CompletableFuture<T> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
    }

    /** Runs the after-commit actions of the sinks; one that fails does not keep the others from running. */
    static void runAll(List<Runnable> afterCommit) {
        for (Runnable action : afterCommit) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(Writer.class).error("After-commit action failed", e);
            }
        }
    }
}
