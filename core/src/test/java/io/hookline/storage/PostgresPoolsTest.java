package io.hookline.storage;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jackson.Jackson;
import io.hookline.config.DatabaseConfig;
import io.hookline.support.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connections of a node's pools, as the server sees them: named (the change clock finds the writers' transactions
 * by that name) and without JIT compilation of statements (DatabaseConfig.WITHOUT_JIT says why).
 */
class PostgresPoolsTest {
    @Test
    void writersAndReadersAreNamedAndRunWithoutTheJitCompiler() throws Exception {
        String url = TestDatabases.createDatabase();
        DatabaseConfig config = Jackson.newObjectMapper().convertValue(Map.of("url", url), DatabaseConfig.class);
        assertThat(one(Jdbi.create(url), "SHOW jit"))
                .as("a connection of the server's defaults").isEqualTo("on");
        for (boolean writers : new boolean[] {true, false}) {
            ManagedDataSource pool = (writers ? config.writer() : config.readers())
                    .build(new MetricRegistry(), writers ? "writers" : "readers");
            try {
                Jdbi jdbi = Jdbi.create(pool);
                assertThat(one(jdbi, "SHOW jit"))
                        .as(writers ? "writers" : "readers").isEqualTo("off");
                assertThat(one(jdbi, "SHOW application_name"))
                        .isEqualTo(writers ? DatabaseConfig.POSTGRESQL_WRITER_NAME : "hookline");
            } finally {
                pool.stop();
            }
        }
    }

    @Test
    void anOptionsParameterInTheUrlReplacesHooklines() throws Exception {
        String url = TestDatabases.createDatabase();
        String withOptions = url + (url.contains("?") ? "&" : "?") + "options=-c%20jit%3Don";
        DatabaseConfig config = Jackson.newObjectMapper().convertValue(Map.of("url", withOptions),
                DatabaseConfig.class);
        ManagedDataSource pool = config.writer().build(new MetricRegistry(), "writers");
        try {
            assertThat(one(Jdbi.create(pool), "SHOW jit")).isEqualTo("on");
        } finally {
            pool.stop();
        }
    }

    private static String one(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }
}
