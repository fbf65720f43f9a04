package io.hookline.storage;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Receives the changes of each write group: the transactional outbox of the webhooks, and the caches that must not
 * outlive a change.
 */
public interface ChangeSink {
    /**
     * Called inside the write transaction, before commit: record what must be delivered. {@code touchedByUser}
     * details each change (for scoped webhooks), in the order they were made.
     */
    void record(Handle handle, Map<Long, Set<String>> changesByUser, Map<Long, List<Touch>> touchedByUser, long now);

    /** Called after the commit succeeded, before any writer of the group is answered. */
    void committed(Map<Long, Set<String>> changesByUser);
}
