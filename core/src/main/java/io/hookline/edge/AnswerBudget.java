package io.hookline.edge;

import io.hookline.storage.ReadBudget;

import java.util.Map;

/**
 * The bytes of stored data one request's answer holds, bounded by {@code limits.maxResponseBytes} and by the
 * {@link AnswerMemory} shared with other requests. Used by the request's own thread only; released once the answer
 * is written.
 */
public final class AnswerBudget implements ReadBudget {
    private final AnswerMemory memory;
    private final long max;
    private long used;
    private long reserved;
    private ApiException refusal;

    AnswerBudget(AnswerMemory memory, long max) {
        this.memory = memory;
        this.max = max;
    }

    @Override
    public void charge(long bytes) {
        used += bytes;
        if (used > max) {
            throw refused("The answer would hold more than " + max + " bytes: narrow the query, or use limit and skip");
        }
        long needed = used - AnswerMemory.FREE_BYTES - reserved;
        if (needed <= 0) return;
        long chunk = Math.max(AnswerMemory.CHUNK, needed);
        if (!memory.tryReserve(chunk)) {
            throw refused("The server is answering other large requests: retry later, or ask for less with limit "
                    + "and skip");
        }
        reserved += chunk;
    }

    private ApiException refused(String message) {
        refusal = new ApiException(ErrorId.TOO_MANY_RESULTS, message, Map.of("maxResponseBytes", max));
        return refusal;
    }

    /** Why this answer was refused once, or null: a batch runs none of its remaining calls after that. */
    public ApiException refusal() {
        return refusal;
    }

    /** Where the answer stands now, to {@link #rewind} to if what follows is dropped (a failed batch call). */
    public long mark() {
        return used;
    }

    /** Forgets what was charged since {@code mark}: those rows are not part of the answer. */
    public void rewind(long mark) {
        used = Math.min(used, mark);
    }

    /** Gives the shared memory back; the answer has been written (or dropped). */
    public void release() {
        memory.release(reserved);
        reserved = 0;
        used = 0;
    }
}
