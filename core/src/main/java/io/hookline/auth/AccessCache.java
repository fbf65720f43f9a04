package io.hookline.auth;

import io.hookline.storage.Change;
import io.hookline.storage.ChangeSink;
import io.hookline.storage.Generations;
import io.hookline.storage.Touch;
import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The user and access behind each recently used token, so that a request does not read them again. Every committed
 * change to accesses (each announces {@code accessesChanged}) starts a new generation before its writer is answered,
 * and entries of older generations are never used: a deleted or replaced token is refused on the very next request.
 * Expiry is still checked on every request by the caller.
 *
 * <p>Other nodes of a PostgreSQL database delete accesses too. Each such deletion also adds one to the database's
 * {@link Generations#ACCESSES} counter ({@code WriteTx.deletesAccesses}), which this node reads at most every
 * {@link #OTHERS_AGE}; an entry made at an older count is not used. So a token deleted through another node is
 * refused here within that age. When the counter cannot be read, the cache is not trusted and the request reads the
 * access afresh.
 */
public final class AccessCache implements ChangeSink {
    private static final String ACCESSES_CHANGED = Change.ACCESSES.message();

    /** A token's user and access. */
    public record Cached(User user, Access access) {
    }

    /** How old this node's reading of the other nodes' changes to accesses may be when it trusts an entry. */
    public static final Duration OTHERS_AGE = Duration.ofMillis(10);

    private record Entry(long generation, long others, Cached value) {
    }

    private final int maxEntries;
    private final AtomicLong generation = new AtomicLong();
    private final LongSupplier othersGeneration;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param othersGeneration the database's {@link Generations#ACCESSES} counter, read at most {@link #OTHERS_AGE} ago
     *                         ({@link io.hookline.storage.ChangeClock#recentAccessDeletions})
     */
    public AccessCache(int maxEntries, LongSupplier othersGeneration) {
        this.maxEntries = maxEntries;
        this.othersGeneration = othersGeneration;
    }

    /** The pair for this username and token: cached, or from {@code load} (cached only when present). */
    public Optional<Cached> get(String username, String token, Supplier<Optional<Cached>> load) {
        String key = username + '\n' + token;
        // Read the generation before loading: a change committed meanwhile makes what we load stale at once.
        long current = generation.get();
        long others;
        try {
            others = othersGeneration.getAsLong();
        } catch (RuntimeException e) {
            return load.get();
        }
        Entry hit = entries.get(key);
        if (hit != null && hit.generation() == current && hit.others() == others) return Optional.of(hit.value());
        Optional<Cached> loaded = load.get();
        if (loaded.isEmpty()) return loaded;
        // A crude bound: a burst of distinct tokens empties the cache rather than growing it.
        if (entries.size() >= maxEntries) entries.clear();
        entries.put(key, new Entry(current, others, loaded.get()));
        return loaded;
    }

    @Override
    public Runnable record(Handle handle, Map<Long, Set<String>> changesByUser,
                           Map<Long, List<Touch>> touchedByUser, long now) {
        if (changesByUser.values().stream().noneMatch(m -> m.contains(ACCESSES_CHANGED))) return () -> { };
        return () -> {
            generation.incrementAndGet();
            entries.clear();
        };
    }
}
