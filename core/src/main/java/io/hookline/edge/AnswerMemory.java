package io.hookline.edge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all answers being built at once may hold, shared by every request. An answer takes its first
 * {@link #FREE_BYTES} without asking, so small answers never wait on large ones; beyond that it reserves from here
 * in chunks, and is refused when the shared memory is taken: large answers then cannot crowd out everyone's heap.
 */
public final class AnswerMemory {
    static final long FREE_BYTES = 256 * 1024;
    static final long CHUNK = 1024 * 1024;

    private final long capacity;
    private final long maxPerAnswer;
    private final AtomicLong reserved = new AtomicLong();

    public AnswerMemory(long capacity, long maxPerAnswer) {
        this.capacity = capacity;
        this.maxPerAnswer = maxPerAnswer;
    }

    /** A budget for one request's answer (all the calls of a batch share it). */
    public AnswerBudget newBudget() {
        return new AnswerBudget(this, maxPerAnswer);
    }

    boolean tryReserve(long bytes) {
        while (true) {
            long now = reserved.get();
            if (now + bytes > capacity) return false;
            if (reserved.compareAndSet(now, now + bytes)) return true;
        }
    }

    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    /** Bytes reserved by answers in progress (for tests and metrics). */
    public long reserved() {
        return reserved.get();
    }
}
