package io.hookline.storage;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Receives the changes of each write: the transactional outbox of the webhooks, and the caches that must not outlive
 * a change. On PostgreSQL several writes run at once, so a sink keeps nothing between calls: what it must do after
 * the commit travels in the action it returns.
 */
public interface ChangeSink {
    /**
     * Called inside the write transaction, before commit: record what must be delivered. {@code touchedByUser}
     * details each change (for scoped webhooks), in the order they were made. Returns what to do once the commit
     * succeeded, before any writer of the transaction is answered.
     */
    Runnable record(Handle handle, Map<Long, Set<String>> changesByUser, Map<Long, List<Touch>> touchedByUser, long now);
}
