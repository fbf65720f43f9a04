package io.hookline.auth;

import io.hookline.storage.Change;
import io.hookline.storage.WriteTx;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The shape of a user's stream tree: parents and children by id. */
public final class StreamTree {
    private final Map<String, String> parentOf;
    private final Map<String, List<String>> childrenOf = new HashMap<>();

    public StreamTree(Map<String, String> parentOf) {
        this.parentOf = parentOf;
        parentOf.forEach((id, parent) -> childrenOf.computeIfAbsent(parent, k -> new ArrayList<>()).add(id));
    }

    /** The current tree of a user's streams. */
    public static StreamTree load(Handle h, long userId) {
        Map<String, String> parents = new HashMap<>();
        h.createQuery("SELECT id, parent_id FROM streams WHERE user_id = ?").bind(0, userId)
                .map((rs, ctx) -> parents.put(rs.getString(1), rs.getString(2))).list();
        return new StreamTree(parents);
    }

    /**
     * The user's tree as a write sees it: read once for the writes of one transaction, again after one of them changed
     * streams (on PostgreSQL a user's writes share transactions: the read is a round trip each).
     */
    public static StreamTree of(WriteTx tx, long userId) {
        return tx.sharedRead(StreamTree.class, userId, Change.STREAMS, () -> load(tx.handle(), userId));
    }

    /** What {@code access} may do on the streams of this tree. */
    public StreamAccess accessOf(Access access) {
        return new StreamAccess(access, this::parentOf);
    }

    public boolean exists(String id) {
        return parentOf.containsKey(id);
    }

    /** The parent of a stream; null for a root stream or an unknown one. */
    public String parentOf(String id) {
        return parentOf.get(id);
    }

    /** The stream and all its descendants. */
    public Set<String> withDescendants(String id) {
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>();
        todo.add(id);
        while (!todo.isEmpty()) {
            String s = todo.remove(todo.size() - 1);
            if (out.add(s)) todo.addAll(childrenOf.getOrDefault(s, List.of()));
        }
        return out;
    }

    /** True when {@code candidate} is {@code id} itself or one of its descendants. */
    public boolean isSelfOrDescendant(String candidate, String id) {
        String s = candidate;
        int guard = 0;
        while (s != null && guard++ < 100_000) {
            if (s.equals(id)) return true;
            s = parentOf.get(s);
        }
        return false;
    }

    public Set<String> ids() {
        return Collections.unmodifiableSet(parentOf.keySet());
    }
}
