package io.hookline.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.function.Consumer;

/**
 * Statements of one transaction that no write reads the result of ({@link WriteTx#deferred}), sent to the server
 * together: a PostgreSQL group of n event creations then costs one round trip for its inserts, not n, and the user's
 * writes queued behind the transaction wait that much less. Kept by the writer for one transaction, on its thread only.
 *
 * <p>What is held back is sent before anything else in the transaction reads or writes: before a write gets the
 * handle ({@link WriteTx#handle}) and before the notifications are recorded. So every statement still sees every
 * earlier write of its transaction, as if nothing were held back. A held-back statement that fails fails the
 * statement that sent it, which may belong to a later write: the writer then runs the group again with a savepoint per
 * write and nothing held back ({@code immediate}), where each write gets its own outcome.
 */
final class DeferredStatements {
    private final Handle handle;
    private final boolean immediate;
    private PreparedBatch batch;
    private String sql;

    /** @param immediate run each statement when it is added (SQLite, and PostgreSQL's writes in savepoints) */
    DeferredStatements(Handle handle, boolean immediate) {
        this.handle = handle;
        this.immediate = immediate;
    }

    /** Adds one run of {@code sql} with the parameters {@code binds} sets; statements run in the order added. */
    void add(String sql, Consumer<PreparedBatch> binds) {
        if (batch != null && !sql.equals(this.sql)) send();
        if (batch == null) {
            batch = handle.prepareBatch(sql);
            this.sql = sql;
        }
        binds.accept(batch);
        batch.add();
        if (immediate) send();
    }

    /** Runs what is held back, in one round trip; throws what the server answered when a statement failed. */
    void send() {
        if (batch == null) return;
        PreparedBatch held = batch;
        batch = null;
        sql = null;
        held.execute();
    }
}
