package io.hookline.storage;

import org.jdbi.v3.core.Handle;

import java.util.Map;
import java.util.Set;

/** Receives the changes of each committed write group (the transactional outbox of the webhooks). */
public interface ChangeSink {
    /** Called inside the write transaction, before commit: record what must be delivered. */
    void record(Handle handle, Map<Long, Set<String>> changesByUser, long now);

    /** Called after the commit succeeded. */
    void committed(Set<Long> userIds);

    ChangeSink NONE = new ChangeSink() {
        @Override
        public void record(Handle handle, Map<Long, Set<String>> changesByUser, long now) {
        }

        @Override
        public void committed(Set<Long> userIds) {
        }
    };
}
