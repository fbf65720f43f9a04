package io.hookline.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** What a unit of write work sees: the writer's handle, its change stamp, and where to note what changed. */
public final class WriteTx {
    private final Handle handle;
    /** Takes the stamp on first use: a transaction that stamps nothing (delivery's) skips what a stamp costs. */
    private final LongSupplier stamp;
    private long now;
    private boolean stamped;
    private final Map<Long, Set<String>> changes = new LinkedHashMap<>();
    private final Map<Long, List<Touch>> touches = new LinkedHashMap<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final SharedReads reads;
    private final DeferredStatements deferred;

    /** Whether this unit shares its transaction with others (PostgreSQL's group commit). */
    private final boolean grouped;
    private boolean deletesAccesses;

    WriteTx(Handle handle, long now, SharedReads reads) {
        this(handle, () -> now, false, reads, new DeferredStatements(handle, true));
    }

    WriteTx(Handle handle, LongSupplier stamp, boolean grouped, SharedReads reads, DeferredStatements deferred) {
        this.handle = handle;
        this.stamp = stamp;
        this.grouped = grouped;
        this.reads = reads;
        this.deferred = deferred;
    }

    /**
     * Says that this work locks {@code webhooks} rows (changes or deletes webhooks): on PostgreSQL it then runs in a
     * transaction of its own, so that its locks on them are taken in its own order only (the order finishing
     * deliveries rely on: see {@code PostgresDeliveryStore.finish}). Call it before changing any of them; when this
     * unit shares a transaction, it is rolled back here and run again alone, so the work must not have done anything
     * outside the database yet.
     */
    public void locksWebhooks() {
        if (grouped) throw new RunAlone();
    }

    /**
     * Says that this work deletes accesses, before it changes or locks any row (reading is fine): the database's count
     * of deletions ({@link Generations#ACCESSES}) goes up by one now, in this transaction, and the other nodes drop the
     * tokens they keep once it commits. That count's row is the transaction's first lock, so that a transaction waiting
     * for it holds no lock another waits for (no deadlock cycle can go through it); on PostgreSQL the unit then runs in
     * a transaction of its own, like {@link #locksWebhooks}. Creating an access needs nothing: no node keeps a token it
     * has not seen.
     */
    public void deletesAccesses() {
        if (grouped) throw new RunAlone();
        if (deletesAccesses) return;
        Generations.bump(handle, Generations.ACCESSES);
        deletesAccesses = true;
    }

    /** Whether {@link #deletesAccesses} was said. */
    public boolean saidDeletesAccesses() {
        return deletesAccesses;
    }

    /** Thrown in a grouped unit that must run alone: the writer runs it again in a transaction of its own. */
    static final class RunAlone extends RuntimeException {
        RunAlone() {
            super("runs in a transaction of its own", null, false, false);
        }
    }

    /** The transaction's handle, once what earlier writes held back ({@link #deferred}) has been sent. */
    public Handle handle() {
        deferred.send();
        return handle;
    }

    /** The engine of this transaction's database, without sending what is held back. */
    public Dialect dialect() {
        return Dialect.of(handle);
    }

    /**
     * Runs {@code sql} with the parameters {@code binds} sets: a statement that returns nothing, for a write that needs
     * neither its result nor its failure before it returns. On PostgreSQL it may be held back and sent with the other
     * writes' such statements in one round trip, before the transaction next reads or writes anything, so that every
     * later statement sees it. If it then fails, a group of writes runs again with a savepoint per write, where it runs
     * at once and only its own write gets the failure (see {@link DeferredStatements}). On SQLite it runs now.
     */
    public void deferred(String sql, Consumer<PreparedBatch> binds) {
        deferred.add(sql, binds);
    }

    /** The change stamp of this write, in microseconds: use it for every {@code modified} it sets. */
    public long now() {
        if (!stamped) {
            now = stamp.getAsLong();
            stamped = true;
        }
        return now;
    }

    /** Notes that a user's data changed; webhooks are told in the same transaction. */
    public void changed(long userId, Change change) {
        changed(userId, change, List.of(), null);
    }

    /** As {@link #changed(long, Change)}, saying which streams (and event type) it touched, for scoped webhooks. */
    public void changed(long userId, Change change, Collection<String> streamIds, String type) {
        reads.forget(userId, change);
        changes.computeIfAbsent(userId, k -> new LinkedHashSet<>()).add(change.message());
        touches.computeIfAbsent(userId, k -> new ArrayList<>()).add(new Touch(change, List.copyOf(streamIds), type));
    }

    /**
     * The result of a read of a user's data that only a change of kind {@code covers} can make stale, shared by the
     * writes of one transaction: the first runs {@code read}, the next get its result, until a write notes such a
     * change for that user ({@link #changed}) or fails. A write that noted one reads anew, and only for itself: note a
     * change before reading again what it changed. On PostgreSQL a group's later writes thus see what the first read
     * saw, not what another node committed in the milliseconds since; that node's change is seen by the next
     * transaction. Whoever gets the result must not change it.
     */
    public <T> T sharedRead(Class<T> type, long userId, Change covers, Supplier<T> read) {
        Set<String> mine = changes.get(userId);
        if (mine != null && mine.contains(covers.message())) return read.get();
        return reads.get(type, userId, covers, read);
    }

    /** Runs {@code action} once this write is committed (never if it is rolled back): for files that go with rows. */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }

    Map<Long, Set<String>> changes() {
        return changes;
    }

    Map<Long, List<Touch>> touches() {
        return touches;
    }
}
