package io.hookline.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What the cache of tokens trusts: entries of the current generation, here and on the other nodes, nothing else. */
class AccessCacheTest {
    private final AtomicLong others = new AtomicLong();
    private final AtomicInteger loads = new AtomicInteger();
    private final AccessCache cache = new AccessCache(100, others::get);

    private Supplier<Optional<AccessCache.Cached>> loader() {
        return () -> {
            int n = loads.incrementAndGet();
            Access access = new Access("a" + n, 1, "token", AccessType.APP, "app", null, List.of(), null, null, null);
            return Optional.of(new AccessCache.Cached(new User(1, "alice"), access));
        };
    }

    @Test
    void aTokenIsReadOnceWhileNothingChanges() {
        assertThat(cache.get("alice", "token", loader())).isPresent();
        assertThat(cache.get("alice", "token", loader()).orElseThrow().access().id()).isEqualTo("a1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void aChangeToAccessesOnAnotherNodeMakesEveryEntryReadAgain() {
        cache.get("alice", "token", loader());
        others.incrementAndGet();
        assertThat(cache.get("alice", "token", loader()).orElseThrow().access().id()).isEqualTo("a2");
        assertThat(cache.get("alice", "token", loader()).orElseThrow().access().id()).isEqualTo("a2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void whenTheOtherNodesChangesCannotBeReadNothingIsServedFromMemory() {
        AtomicLong failing = new AtomicLong();
        AccessCache unsure = new AccessCache(100, () -> {
            if (failing.get() > 0) throw new IllegalStateException("database unreachable");
            return 0;
        });
        unsure.get("alice", "token", loader());
        failing.set(1);
        assertThat(unsure.get("alice", "token", loader()).orElseThrow().access().id()).isEqualTo("a2");
        assertThat(unsure.get("alice", "token", loader()).orElseThrow().access().id()).isEqualTo("a3");
        failing.set(0);
        assertThat(unsure.get("alice", "token", loader()).orElseThrow().access().id()).as("the entry made at 0")
                .isEqualTo("a1");
    }

    @Test
    void anUnknownTokenIsNotRemembered() {
        assertThat(cache.get("alice", "nope", Optional::empty)).isEmpty();
        assertThat(cache.get("alice", "nope", loader())).isPresent();
    }
}
