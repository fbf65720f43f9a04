package io.hookline.storage;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jackson.Jackson;
import io.hookline.config.DatabaseConfig;
import io.hookline.support.TestApps;
import io.hookline.support.TestDatabases;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A read through the service's reader pool is one snapshot, on either engine. */
class DatabaseReadTest {
    @Test
    void aReadDoesNotSeeWhatCommitsBetweenTwoOfItsStatements() throws Exception {
        Map<String, String> settings = TestDatabases.postgresql()
                ? Map.of("url", TestDatabases.createDatabase())
                : Map.of("path", TestApps.tempDir().resolve("read.db").toString());
        DatabaseConfig config = Jackson.newObjectMapper().convertValue(settings, DatabaseConfig.class);
        String url = TestDatabases.jdbcUrl(config);
        Jdbi other = Jdbi.create(url);
        other.useHandle(h -> h.execute("CREATE TABLE t (id INTEGER NOT NULL)"));
        ManagedDataSource pool = config.readers().build(new MetricRegistry(), "readers");
        try {
            Database db = new Database(Jdbi.create(pool), null, null, Databases.dialect(config));
            List<Integer> counts = db.read(h -> {
                int before = count(h);
                other.useHandle(w -> w.execute("INSERT INTO t (id) VALUES (1)")); // commits on its own connection
                return List.of(before, count(h));
            });
            assertThat(counts).as("both statements of the read see the same snapshot").containsExactly(0, 0);
            assertThat(db.read(DatabaseReadTest::count)).as("the next read sees the commit").isEqualTo(1);
        } finally {
            pool.stop();
        }
    }

    private static int count(Handle h) {
        return h.createQuery("SELECT count(*) FROM t").mapTo(Integer.class).one();
    }
}
