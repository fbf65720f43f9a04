package io.hookline.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.util.function.Function;

/**
 * The database as the rest of the service sees it, whichever the engine: consistent reads from the reader pool,
 * writes through the {@link Writer}.
 */
public final class Database {
    private final Jdbi readers;
    private final Writer writer;
    private final ChangeClock clock;
    private final Dialect dialect;

    public Database(Jdbi readers, Writer writer, ChangeClock clock, Dialect dialect) {
        this.readers = readers;
        this.writer = writer;
        this.clock = clock;
        this.dialect = dialect;
    }

    /**
     * Runs {@code work} in one read transaction: a consistent snapshot (SQLite's read transactions are; the
     * PostgreSQL reader pool's connections are repeatable read, see {@code DatabaseConfig#readers}).
     */
    public <T> T read(HandleCallback<T, RuntimeException> work) {
        return readers.inTransaction(work::withHandle);
    }

    /** Runs {@code work} atomically; see {@link Writer}. */
    public <T> T write(Function<WriteTx, T> work) {
        return writer.write(work);
    }

    /** Runs {@code work} on one user's data atomically; see {@link Writer#write(long, Function)}. */
    public <T> T write(long userId, Function<WriteTx, T> work) {
        return writer.write(userId, work);
    }

    /** Runs {@code work} in a transaction of its own; see {@link Writer#writeAlone}. */
    public <T> T writeAlone(Function<WriteTx, T> work) {
        return writer.writeAlone(work);
    }

    /** Runs one statement as a transaction of its own; see {@link Writer#writeOneStatement}. */
    public <T> T writeOneStatement(Function<Handle, T> statement) {
        return writer.writeOneStatement(statement);
    }

    /** See {@link Writer#writeAsync}: the future completes on a writer thread. */
    public <T> java.util.concurrent.CompletableFuture<T> writeAsync(Function<WriteTx, T> work) {
        return writer.writeAsync(work);
    }

    /** Writes an online backup to {@code target} from a reader connection (see {@link Backup}). */
    public Backup.Written backup(java.nio.file.Path target) {
        return readers.withHandle(h -> Backup.write(h, target));
    }

    public ChangeClock clock() {
        return clock;
    }

    public Writer writer() {
        return writer;
    }

    public Dialect dialect() {
        return dialect;
    }

}
