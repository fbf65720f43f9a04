package io.hookline.storage;

import io.hookline.support.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PostgreSQL writer on a real server: concurrent transactions that deadlock or race on a unique key are run again
 * and end as if they had run one after the other; a change and what its sinks record commit together or not at all;
 * writes queued together commit in one transaction; when one of them fails, the group runs again with a savepoint
 * per write, so that the failing write alone rolls back. Statements the writes hold back are sent together, before
 * anything reads.
 */
class PostgresWriterTest {
    private Jdbi jdbi;
    private PostgresWriter writer;
    private final ChangeClock clock = new ChangeClock(Clock.systemUTC());

    @BeforeEach
    void start() {
        jdbi = Dialect.POSTGRESQL.install(Jdbi.create(TestDatabases.createDatabase()));
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
            h.execute("CREATE TABLE outbox (user_id BIGINT NOT NULL, message TEXT NOT NULL)");
            h.execute("INSERT INTO t (id, v) VALUES (1, 0), (2, 0)");
        });
        writer = writer(4);
    }

    private PostgresWriter writer(int threads) {
        PostgresWriter w = new PostgresWriter(jdbi, clock, threads, 16, 100);
        w.addChangeSink((h, changes, touches, now) -> {
            changes.forEach((user, messages) -> messages.forEach(m ->
                    h.execute("INSERT INTO outbox (user_id, message) VALUES (?, ?)", user, m)));
            return () -> { };
        });
        w.start();
        return w;
    }

    @AfterEach
    void stop() throws InterruptedException {
        writer.stop();
    }

    private List<Long> longs(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).list());
    }

    private <T> CompletableFuture<T> inThread(Function<WriteTx, T> work) {
        CompletableFuture<T> out = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                out.complete(writer.writeAlone(work));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        t.start();
        return out;
    }

    @Test
    void aDeadlockVictimIsRunAgainAndBothWritesCommit() throws Exception {
        CountDownLatch bothHoldTheirFirstRow = new CountDownLatch(2);
        AtomicInteger runs = new AtomicInteger();
        Function<Integer, Function<WriteTx, Integer>> crossing = first -> tx -> {
            runs.incrementAndGet();
            int second = 3 - first;
            tx.handle().execute("UPDATE t SET v = v + 1 WHERE id = ?", first);
            bothHoldTheirFirstRow.countDown();
            try {
                assertThat(bothHoldTheirFirstRow.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            tx.handle().execute("UPDATE t SET v = v + 1 WHERE id = ?", second);
            return first;
        };
        CompletableFuture<Integer> a = inThread(crossing.apply(1));
        CompletableFuture<Integer> b = inThread(crossing.apply(2));
        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        // PostgreSQL broke the cycle by aborting one of them (40P01); it ran a second time.
        assertThat(runs.get()).isEqualTo(3);
        assertThat(longs("SELECT v FROM t ORDER BY id")).containsExactly(2L, 2L);
    }

    @Test
    void aUniqueKeyRaceIsRunAgainSoThatTheWorksOwnCheckAnswers() throws Exception {
        CyclicBarrier bothChecked = new CyclicBarrier(2);
        AtomicInteger runs = new AtomicInteger();
        Function<WriteTx, String> createOnce = tx -> {
            boolean firstRun = runs.incrementAndGet() <= 2;
            boolean taken = tx.handle().createQuery("SELECT COUNT(*) FROM t WHERE id = 3").mapTo(Integer.class).one() > 0;
            if (firstRun) {
                try {
                    bothChecked.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            if (taken) return "taken";
            tx.handle().execute("INSERT INTO t (id, v) VALUES (3, 0)");
            return "created";
        };
        CompletableFuture<String> a = inThread(createOnce);
        CompletableFuture<String> b = inThread(createOnce);
        assertThat(List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS)))
                .containsExactlyInAnyOrder("created", "taken");
        assertThat(runs.get()).isEqualTo(3);
    }

    @Test
    void aChangeAndItsRecordedNotificationsCommitTogetherOrNotAtAll() {
        writer.write(tx -> {
            tx.handle().execute("UPDATE t SET v = 7 WHERE id = 1");
            tx.changed(42, Change.EVENTS);
            return null;
        });
        assertThatThrownBy(() -> writer.write(tx -> {
            tx.handle().execute("UPDATE t SET v = 8 WHERE id = 1");
            tx.changed(43, Change.EVENTS);
            throw new IllegalStateException("fails after writing");
        })).hasMessage("fails after writing");
        assertThat(longs("SELECT v FROM t WHERE id = 1")).containsExactly(7L);
        assertThat(longs("SELECT user_id FROM outbox")).containsExactly(42L);
    }

    @Test
    void asynchronousWritesCommitAndNestedWritesAreRefused() throws Exception {
        assertThat(writer.writeAsync(tx -> {
            tx.handle().execute("UPDATE t SET v = 5 WHERE id = 2");
            return "done";
        }).get(10, TimeUnit.SECONDS)).isEqualTo("done");
        assertThatThrownBy(() -> writer.write(tx -> writer.write(inner -> null))).hasMessageContaining("nested");
        assertThat(longs("SELECT v FROM t WHERE id = 2")).containsExactly(5L);
    }

    @Test
    void everyWriteFinishesItsStampSoTheHorizonMovesOn() {
        long stamp = writer.write(WriteTx::now);
        assertThat(clock.horizon()).isGreaterThanOrEqualTo(stamp);
        assertThatThrownBy(() -> writer.write(tx -> {
            throw new IllegalStateException("rolled back");
        }));
        long later = writer.write(WriteTx::now);
        assertThat(clock.horizon()).isGreaterThanOrEqualTo(later);
    }

    /** The current transaction's id: writes that return the same one committed together. */
    private static String txid(WriteTx tx) {
        return tx.handle().createQuery("SELECT pg_current_xact_id()::text").mapTo(String.class).one();
    }

    /**
     * Queues {@code works} behind a write that holds the only writer thread, then lets it go: the writes waiting are
     * taken as one group.
     */
    private static List<CompletableFuture<String>> queuedTogether(PostgresWriter single,
                                                                 List<Function<WriteTx, String>> works)
            throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> blocker = single.writeAsync(tx -> {
            holding.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "blocker";
        });
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<String>> out = works.stream().map(single::writeAsync).toList();
        release.countDown();
        assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo("blocker");
        return out;
    }

    @Test
    void aFailingWriteInAGroupRollsBackAloneAndOnlyItsCallerGetsItsError() throws Exception {
        PostgresWriter single = writer(1);
        try {
            List<CompletableFuture<String>> done = queuedTogether(single, List.of(
                    tx -> {
                        tx.handle().execute("INSERT INTO t (id, v) VALUES (10, 0)");
                        tx.changed(1, Change.EVENTS);
                        return txid(tx);
                    },
                    tx -> {
                        tx.handle().execute("INSERT INTO t (id, v) VALUES (11, 0)");
                        tx.changed(3, Change.EVENTS);
                        throw new IllegalArgumentException("invalid input");
                    },
                    tx -> {
                        tx.handle().execute("INSERT INTO t (id, v) VALUES (1, 0)"); // exists: a unique violation
                        return txid(tx);
                    },
                    tx -> {
                        tx.handle().execute("INSERT INTO t (id, v) VALUES (12, 0)");
                        tx.changed(2, Change.STREAMS);
                        return txid(tx);
                    }));
            String first = done.get(0).get(10, TimeUnit.SECONDS);
            assertThat(done.get(3).get(10, TimeUnit.SECONDS)).as("one transaction").isEqualTo(first);
            assertThatThrownBy(() -> done.get(1).get(10, TimeUnit.SECONDS)).hasRootCauseMessage("invalid input");
            assertThatThrownBy(() -> done.get(2).get(10, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(PostgresWriter.sqlState(e)).isEqualTo("23505"));
            assertThat(longs("SELECT id FROM t ORDER BY id")).containsExactly(1L, 2L, 10L, 12L);
            assertThat(longs("SELECT user_id FROM outbox ORDER BY user_id")).containsExactly(1L, 2L);
            // Counted: the blocker's transaction and the group's (its first try, rolled back, is not), with the
            // three writes that committed in them.
            assertThat(single.counts().transactions()).isEqualTo(2);
            assertThat(single.counts().writes()).isEqualTo(3);
        } finally {
            single.stop();
        }
    }

    @Test
    void aGroupThatFailsNothingCommitsOnceWithoutSavepoints() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PostgresWriter single = writer(1);
        try {
            List<CompletableFuture<String>> done = queuedTogether(single, List.of(
                    tx -> {
                        runs.incrementAndGet();
                        tx.handle().execute("INSERT INTO t (id, v) VALUES (20, 0)");
                        tx.changed(1, Change.EVENTS);
                        return txid(tx);
                    },
                    tx -> {
                        runs.incrementAndGet();
                        tx.handle().execute("INSERT INTO t (id, v) VALUES (21, 0)");
                        return txid(tx);
                    }));
            String first = done.get(0).get(10, TimeUnit.SECONDS);
            assertThat(done.get(1).get(10, TimeUnit.SECONDS)).as("one transaction").isEqualTo(first);
            assertThat(runs.get()).isEqualTo(2);
            // A row written inside a savepoint carries the subtransaction's id, not the transaction's.
            List<String> writtenBy = jdbi.withHandle(h -> h.createQuery("SELECT xmin::text FROM t WHERE id IN (20, 21)")
                    .mapTo(String.class).list());
            assertThat(writtenBy).containsOnly(first);
            assertThat(single.counts().transactions()).as("the blocker's and the group's").isEqualTo(2);
            assertThat(single.counts().writes()).isEqualTo(3);
        } finally {
            single.stop();
        }
    }

    private static final String INSERT_T = "INSERT INTO t (id, v) VALUES (:id, 0)";

    private static Function<WriteTx, String> deferInsert(int id, AtomicInteger runs) {
        return tx -> {
            runs.incrementAndGet();
            tx.deferred(INSERT_T, batch -> batch.bind("id", id));
            tx.changed(1, Change.EVENTS);
            return "inserted " + id;
        };
    }

    @Test
    void heldBackStatementsGoInOneExecutionThatEveryLaterReadSees() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                if (INSERT_T.equals(context.getRawSql())) executions.incrementAndGet();
            }
        });
        AtomicInteger runs = new AtomicInteger();
        PostgresWriter single = writer(1);
        try {
            List<CompletableFuture<String>> done = queuedTogether(single, List.of(
                    deferInsert(30, runs),
                    deferInsert(31, runs),
                    deferInsert(32, runs),
                    tx -> String.valueOf(tx.handle()
                            .createQuery("SELECT COUNT(*) FROM t WHERE id BETWEEN 30 AND 32").mapTo(Long.class).one()),
                    deferInsert(33, runs)));
            assertThat(done.get(3).get(10, TimeUnit.SECONDS)).as("a later write's read sees them").isEqualTo("3");
            for (int i : List.of(0, 1, 2, 4)) assertThat(done.get(i).get(10, TimeUnit.SECONDS)).startsWith("inserted");
            assertThat(runs.get()).as("nothing ran again").isEqualTo(4);
            // Three held back before the read went together; the last went alone before the notifications.
            assertThat(executions.get()).isEqualTo(2);
            assertThat(longs("SELECT id FROM t WHERE id >= 30 ORDER BY id")).containsExactly(30L, 31L, 32L, 33L);
            assertThat(longs("SELECT COUNT(*) FROM outbox")).containsExactly(1L);
        } finally {
            single.stop();
        }
    }

    @Test
    void aHeldBackStatementThatFailsFailsOnlyItsOwnWrite() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PostgresWriter single = writer(1);
        try {
            List<CompletableFuture<String>> done = queuedTogether(single, List.of(
                    deferInsert(40, runs),
                    deferInsert(1, runs), // exists: a unique violation, answered only when the group is sent
                    deferInsert(41, runs)));
            assertThat(done.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("inserted 40");
            assertThat(done.get(2).get(10, TimeUnit.SECONDS)).isEqualTo("inserted 41");
            assertThatThrownBy(() -> done.get(1).get(10, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(PostgresWriter.sqlState(e)).isEqualTo("23505"));
            // Each once held back, then once in savepoints, where a unique violation is run again up to the limit.
            assertThat(runs.get()).isEqualTo(3 + 2 + PostgresWriter.MAX_ATTEMPTS);
            assertThat(longs("SELECT id FROM t ORDER BY id")).containsExactly(1L, 2L, 40L, 41L);
            assertThat(longs("SELECT user_id FROM outbox")).containsExactly(1L);
        } finally {
            single.stop();
        }
    }

    @Test
    void aGroupsWritesShareAReadUntilOneChangesWhatItCoversOrFails() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        Function<WriteTx, Integer> read = tx -> tx.sharedRead(Integer.class, 1, Change.STREAMS, reads::incrementAndGet);
        PostgresWriter single = writer(1);
        try {
            List<CompletableFuture<String>> done = queuedTogether(single, List.of(
                    tx -> String.valueOf(read.apply(tx)),
                    tx -> String.valueOf(read.apply(tx)),
                    tx -> {
                        int seen = read.apply(tx);
                        tx.handle().execute("UPDATE t SET v = v + 1 WHERE id = 1");
                        tx.changed(1, Change.STREAMS);
                        return String.valueOf(seen);
                    },
                    tx -> String.valueOf(read.apply(tx)),
                    tx -> String.valueOf(tx.sharedRead(Integer.class, 2, Change.STREAMS, reads::incrementAndGet)),
                    tx -> String.valueOf(tx.sharedRead(Integer.class, 1, Change.EVENTS, reads::incrementAndGet)),
                    tx -> {
                        read.apply(tx);
                        throw new IllegalArgumentException("invalid input");
                    },
                    tx -> String.valueOf(read.apply(tx))));
            List<String> seen = new java.util.ArrayList<>();
            for (int i = 0; i < done.size(); i++) {
                if (i == 6) {
                    assertThatThrownBy(() -> done.get(6).get(10, TimeUnit.SECONDS)).hasRootCauseMessage("invalid input");
                    seen.add(null);
                } else {
                    seen.add(done.get(i).get(10, TimeUnit.SECONDS));
                }
            }
            assertThat(seen.get(1)).as("shared").isEqualTo(seen.get(0));
            assertThat(seen.get(2)).as("shared, before the change").isEqualTo(seen.get(0));
            assertThat(seen.get(3)).as("read again after the change").isNotEqualTo(seen.get(0));
            assertThat(seen.get(4)).as("another user's").isNotEqualTo(seen.get(3)).isNotEqualTo(seen.get(0));
            assertThat(seen.get(5)).as("another kind's").isNotEqualTo(seen.get(3)).isNotEqualTo(seen.get(4));
            assertThat(seen.get(7)).as("read again after a failed write").isNotEqualTo(seen.get(3));
        } finally {
            single.stop();
        }
    }

    @Test
    void aGroupWhoseTransactionIsLostRunsEachWriteAgainAndCommitsEachOnce() throws Exception {
        jdbi.useHandle(h -> h.execute("CREATE TABLE log (v INTEGER NOT NULL)"));
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger losing = new AtomicInteger();
        PostgresWriter single = writer(1);
        try {
            List<CompletableFuture<String>> done = queuedTogether(single, List.of(
                    tx -> {
                        runs.incrementAndGet();
                        tx.handle().execute("INSERT INTO log (v) VALUES (1)");
                        tx.changed(1, Change.EVENTS);
                        return txid(tx);
                    },
                    tx -> {
                        tx.handle().execute("INSERT INTO log (v) VALUES (2)");
                        if (losing.incrementAndGet() == 1) {
                            // As PostgreSQL ends a transaction that lost a race with a concurrent one.
                            tx.handle().execute("DO $$ BEGIN RAISE EXCEPTION 'lost' "
                                    + "USING ERRCODE = 'serialization_failure'; END $$");
                        }
                        return txid(tx);
                    },
                    tx -> {
                        tx.handle().execute("INSERT INTO log (v) VALUES (3)");
                        tx.changed(2, Change.EVENTS);
                        return txid(tx);
                    }));
            List<String> txids = List.of(done.get(0).get(10, TimeUnit.SECONDS), done.get(1).get(10, TimeUnit.SECONDS),
                    done.get(2).get(10, TimeUnit.SECONDS));
            assertThat(runs.get()).as("the group, then alone").isEqualTo(2);
            assertThat(losing.get()).isEqualTo(2);
            assertThat(txids).as("each in a transaction of its own").doesNotHaveDuplicates();
            assertThat(longs("SELECT v FROM log ORDER BY v")).containsExactly(1L, 2L, 3L);
            assertThat(longs("SELECT user_id FROM outbox ORDER BY user_id")).containsExactly(1L, 2L);
        } finally {
            single.stop();
        }
    }

    @Test
    void aWriteThatLocksWebhooksRunsInATransactionOfItsOwn() throws Exception {
        PostgresWriter single = writer(1);
        try {
            List<CompletableFuture<String>> done = queuedTogether(single, List.of(
                    PostgresWriterTest::txid,
                    tx -> {
                        tx.locksWebhooks();
                        tx.handle().execute("UPDATE t SET v = v + 1 WHERE id = 1");
                        return txid(tx);
                    },
                    PostgresWriterTest::txid));
            String grouped = done.get(0).get(10, TimeUnit.SECONDS);
            assertThat(done.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(grouped);
            assertThat(done.get(1).get(10, TimeUnit.SECONDS)).isNotEqualTo(grouped);
            assertThat(longs("SELECT v FROM t WHERE id = 1")).containsExactly(1L);
        } finally {
            single.stop();
        }
    }

    @Test
    void oneUsersWritesWaitInOneLineAndCommitTogetherWhileOtherUsersGoOn() throws Exception {
        long user = 7;
        long other = java.util.stream.LongStream.range(8, 100)
                .filter(u -> PostgresWriter.lineOf(u, 4) != PostgresWriter.lineOf(user, 4)).findFirst().orElseThrow();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> blocker = writer.writeAsync(user, tx -> {
            holding.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return txid(tx);
        });
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<String>> same = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int id = 100 + i;
            same.add(writer.writeAsync(user, tx -> {
                tx.handle().execute("INSERT INTO t (id, v) VALUES (?, 0)", id);
                tx.changed(user, Change.EVENTS);
                return txid(tx);
            }));
        }
        // Another user's line is free: its write commits while the first user's line is held.
        String otherTxid = writer.write(other, tx -> {
            tx.changed(other, Change.EVENTS);
            return txid(tx);
        });
        assertThat(otherTxid).isNotNull();
        assertThat(same).noneMatch(CompletableFuture::isDone);
        release.countDown();
        String held = blocker.get(10, TimeUnit.SECONDS);
        List<String> txids = new java.util.ArrayList<>();
        for (CompletableFuture<String> f : same) txids.add(f.get(10, TimeUnit.SECONDS));
        assertThat(txids).as("the ten queued behind the held one: one transaction").containsOnly(txids.get(0));
        assertThat(txids.get(0)).isNotEqualTo(held);
        assertThat(longs("SELECT COUNT(*) FROM t WHERE id >= 100")).containsExactly(10L);
        assertThat(longs("SELECT user_id FROM outbox ORDER BY user_id")).containsExactly(user, other);
    }
}
