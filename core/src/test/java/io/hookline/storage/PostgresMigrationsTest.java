package io.hookline.storage;

import io.hookline.support.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL migrations: every version has its PostgreSQL file, and nodes starting together apply each once. */
class PostgresMigrationsTest {

    @Test
    void nodesMigratingTogetherApplyEachVersionOnce() throws Exception {
        String url = TestDatabases.createDatabase();
        CyclicBarrier together = new CyclicBarrier(3);
        List<CompletableFuture<Integer>> nodes = List.of(migrate(url, together), migrate(url, together),
                migrate(url, together));
        int applied = 0;
        for (CompletableFuture<Integer> n : nodes) applied += n.get(60, TimeUnit.SECONDS);
        assertThat(applied).isEqualTo(Migrations.FILES.size());
        Jdbi jdbi = Jdbi.create(url);
        assertThat(strings(jdbi, "SELECT version FROM schema_migrations ORDER BY version"))
                .containsExactlyElementsOf(Migrations.FILES);
        assertThat(Migrations.apply(Dialect.POSTGRESQL.install(jdbi), Dialect.POSTGRESQL)).isZero();
        assertThat(strings(jdbi, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                .contains("users", "accesses", "streams", "stream_deletions", "events", "event_streams", "webhooks",
                        "webhook_pending", "user_changes", "schema_migrations");
    }

    @Test
    void timeColumnsHold64BitMicroseconds() {
        String url = TestDatabases.createDatabase();
        Jdbi jdbi = Dialect.POSTGRESQL.install(Jdbi.create(url));
        Migrations.apply(jdbi, Dialect.POSTGRESQL);
        List<String> narrow = strings(jdbi, "SELECT table_name || '.' || column_name "
                + "FROM information_schema.columns WHERE table_schema = 'public' AND data_type <> 'bigint' AND "
                + "(column_name IN ('created', 'modified', 'deleted', 'expires', 'first_seen', 'last_seen', "
                + "'next_attempt_at', 'last_run_time', 'applied'))");
        assertThat(narrow).isEmpty();
    }

    private static List<String> strings(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    private static CompletableFuture<Integer> migrate(String url, CyclicBarrier together) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                together.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Migrations.apply(Dialect.POSTGRESQL.install(Jdbi.create(url)), Dialect.POSTGRESQL);
        }, CompletableFuture.delayedExecutor(0, TimeUnit.MILLISECONDS));
    }
}
