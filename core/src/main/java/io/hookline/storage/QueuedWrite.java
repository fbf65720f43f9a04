package io.hookline.storage;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A unit of write work waiting for a writer thread, with the future its caller waits on. */
final class QueuedWrite<T> {
    private final Function<WriteTx, T> work;
    final CompletableFuture<T> result = new CompletableFuture<>();
    private T value;
    private Throwable failure;

    private QueuedWrite(Function<WriteTx, T> work) {
        this.work = work;
    }

    static <T> QueuedWrite<T> of(Function<WriteTx, T> work) {
        return new QueuedWrite<>(work);
    }

    /** Queues {@code work}, waiting only while the queue is full. */
    static <T> CompletableFuture<T> enqueue(BlockingQueue<QueuedWrite<?>> queue, Function<WriteTx, T> work) {
        QueuedWrite<T> task = of(work);
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new IllegalStateException("interrupted while writing", e));
        }
        return task.result;
    }

    void run(WriteTx tx) {
        value = work.apply(tx);
    }

    /** The work's own failure, handed to its caller by {@link #settle} once the transaction ended. */
    void failed(Throwable e) {
        failure = e;
    }

    /** Forgets the outcome of a run whose transaction was rolled back. */
    void reset() {
        value = null;
        failure = null;
    }

    /** Hands the outcome to the caller, once the transaction committed. */
    void settle() {
        if (failure != null) result.completeExceptionally(failure);
        else result.complete(value);
    }

    /** Fails the caller at once. */
    void fail(Throwable e) {
        result.completeExceptionally(e);
    }
}
