package io.hookline.storage;

import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.util.function.Function;

/** The database as the rest of the service sees it: consistent reads from the reader pool, writes through the one writer. */
public final class Database {
    private final Jdbi readers;
    private final Writer writer;
    private final ChangeClock clock;

    public Database(Jdbi readers, Writer writer, ChangeClock clock) {
        this.readers = readers;
        this.writer = writer;
        this.clock = clock;
    }

    /** Runs {@code work} in one read transaction (a consistent snapshot). */
    public <T> T read(HandleCallback<T, RuntimeException> work) {
        return readers.inTransaction(work::withHandle);
    }

    /** Runs {@code work} atomically in the writer; see {@link Writer}. */
    public <T> T write(Function<WriteTx, T> work) {
        return writer.write(work);
    }

    /** See {@link Writer#writeAsync}: the future completes on the writer thread. */
    public <T> java.util.concurrent.CompletableFuture<T> writeAsync(Function<WriteTx, T> work) {
        return writer.writeAsync(work);
    }

    public ChangeClock clock() {
        return clock;
    }

    public Writer writer() {
        return writer;
    }

}
