package io.hookline.auth;

import io.hookline.storage.Change;
import io.hookline.storage.ChangeSink;
import org.jdbi.v3.core.Handle;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The user and access behind each recently used token, so that a request does not read them again. Every committed
 * change to accesses (each announces {@code accessesChanged}) starts a new generation before its writer is answered,
 * and entries of older generations are never used: a deleted or replaced token is refused on the very next request.
 * Expiry is still checked on every request by the caller.
 */
public final class AccessCache implements ChangeSink {
    private static final String ACCESSES_CHANGED = Change.ACCESSES.message();

    /** A token's user and access. */
    public record Cached(User user, Access access) {
    }

    private record Entry(long generation, Cached value) {
    }

    private final int maxEntries;
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public AccessCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The pair for this username and token: cached, or from {@code load} (cached only when present). */
    public Optional<Cached> get(String username, String token, Supplier<Optional<Cached>> load) {
        String key = username + '\n' + token;
        // Read the generation before loading: a change committed meanwhile makes what we load stale at once.
        long current = generation.get();
        Entry hit = entries.get(key);
        if (hit != null && hit.generation() == current) return Optional.of(hit.value());
        Optional<Cached> loaded = load.get();
        if (loaded.isEmpty()) return loaded;
        // A crude bound: a burst of distinct tokens empties the cache rather than growing it.
        if (entries.size() >= maxEntries) entries.clear();
        entries.put(key, new Entry(current, loaded.get()));
        return loaded;
    }

    @Override
    public void record(Handle handle, Map<Long, Set<String>> changesByUser,
                       Map<Long, java.util.List<io.hookline.storage.Touch>> touchedByUser, long now) {
    }

    @Override
    public void committed(Map<Long, Set<String>> changesByUser) {
        if (changesByUser.values().stream().anyMatch(m -> m.contains(ACCESSES_CHANGED))) {
            generation.incrementAndGet();
            entries.clear();
        }
    }
}
