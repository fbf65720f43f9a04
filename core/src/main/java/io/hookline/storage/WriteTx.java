package io.hookline.storage;

import org.jdbi.v3.core.Handle;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** What a unit of write work sees: the writer's handle, its change stamp, and where to note what changed. */
public final class WriteTx {
    private final Handle handle;
    private final long now;
    private final Map<Long, Set<String>> changes = new LinkedHashMap<>();

    WriteTx(Handle handle, long now) {
        this.handle = handle;
        this.now = now;
    }

    public Handle handle() {
        return handle;
    }

    /** The change stamp of this write, in microseconds: use it for every {@code modified} it sets. */
    public long now() {
        return now;
    }

    /** Notes that a user's data changed; webhooks are told in the same transaction. */
    public void changed(long userId, Change change) {
        changes.computeIfAbsent(userId, k -> new LinkedHashSet<>()).add(change.message());
    }

    Map<Long, Set<String>> changes() {
        return changes;
    }
}
