package io.hookline.storage;

import io.hookline.support.TestApps;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one SQLite writer: work grouped in one transaction, yet each unit commits fully or not at all. */
class GroupWriterTest {
    private Jdbi jdbi;
    private Writer writer;
    private final List<Map<Long, Set<String>>> recorded = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @BeforeEach
    void start() {
        jdbi = Jdbi.create("jdbc:sqlite:" + TestApps.tempDir().resolve("writer.db"));
        jdbi.useHandle(h -> h.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL, stamp INTEGER)"));
        writer = new GroupWriter(jdbi, new ChangeClock(Clock.systemUTC()), 16, 100);
        writer.addChangeSink((handle, changesByUser, touchedByUser, now) -> {
            recorded.add(Map.copyOf(changesByUser));
            return () -> { };
        });
        writer.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        writer.stop();
        pool.shutdownNow();
    }

    private Future<Object> insert(int id, boolean fail) {
        return pool.submit(() -> writer.write(insertion(id, fail)));
    }

    private static java.util.function.Function<WriteTx, Object> insertion(int id, boolean fail) {
        return tx -> {
            tx.handle().execute("INSERT INTO t (id, v, stamp) VALUES (?, ?, ?)", id, "v" + id, tx.now());
            tx.changed(id, Change.EVENTS);
            if (fail) throw new IllegalStateException("unit " + id + " fails after writing");
            return null;
        };
    }

    /** Starts a thread that writes; it parks (WAITING) once its work is queued. */
    private Thread writing(int id, boolean fail, CompletableFuture<Object> outcome) {
        Thread t = new Thread(() -> {
            try {
                outcome.complete(writer.write(insertion(id, fail)));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        });
        t.start();
        return t;
    }

    private List<Integer> ids() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM t ORDER BY id").mapTo(Integer.class).list());
    }

    @Test
    void aFailingUnitRollsBackAloneInsideAGroup() throws Exception {
        // Hold the writer busy so that the next units queue up and run as one group.
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> blocker = pool.submit(() -> writer.write(tx -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Object>> outcomes = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>());
        List<Thread> threads = List.of(writing(1, false, outcomes.get(0)), writing(2, true, outcomes.get(1)),
                writing(3, false, outcomes.get(2)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
            assertThat(System.nanoTime()).as("writers queued within 10 s").isLessThan(deadline);
            Thread.yield();
        }
        release.countDown();

        blocker.get(10, TimeUnit.SECONDS);
        outcomes.get(0).get(10, TimeUnit.SECONDS);
        outcomes.get(2).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> outcomes.get(1).get(10, TimeUnit.SECONDS))
                .hasRootCauseMessage("unit 2 fails after writing");
        assertThat(ids()).containsExactly(1, 3);
        // The three ran as one group (one transaction), and what the failed unit noted is not recorded.
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).keySet()).containsExactlyInAnyOrder(1L, 3L);
        // Counted: the blocker's transaction and the group's, with the three writes that committed in them.
        assertThat(writer.counts().transactions()).isEqualTo(2);
        assertThat(writer.counts().writes()).isEqualTo(3);
    }

    @Test
    void everyUnitGetsItsOwnIncreasingStamp() throws Exception {
        List<Future<Object>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) all.add(insert(i, false));
        for (Future<Object> f : all) f.get(10, TimeUnit.SECONDS);
        List<Long> stamps = jdbi.withHandle(h -> h.createQuery("SELECT stamp FROM t ORDER BY stamp")
                .mapTo(Long.class).list());
        assertThat(stamps).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void nestedWritesAreRefusedNotDeadlocked() {
        CompletableFuture<Throwable> inner = new CompletableFuture<>();
        writer.write(tx -> {
            try {
                writer.write(tx2 -> null);
                inner.complete(null);
            } catch (IllegalStateException e) {
                inner.complete(e);
            }
            return null;
        });
        assertThat(inner.join()).hasMessageContaining("nested");
        // The writer still works.
        writer.write(tx -> tx.handle().execute("INSERT INTO t (id, v) VALUES (99, 'x')"));
        assertThat(ids()).containsExactly(99);
    }
}
