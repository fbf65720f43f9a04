package io.hookline.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The writers of a PostgreSQL node: the operator's number, or one per processor within bounds. */
class DatabaseConfigTest {
    private static final ObjectMapper YAML_LIKE = Jackson.newObjectMapper();

    @Test
    void unsetWritersFollowTheProcessorsAtLeastTwoAtMostSixtyFour() {
        assertThat(DatabaseConfig.defaultWriters(1)).isEqualTo(2);
        assertThat(DatabaseConfig.defaultWriters(2)).isEqualTo(2);
        assertThat(DatabaseConfig.defaultWriters(8)).isEqualTo(8);
        assertThat(DatabaseConfig.defaultWriters(256)).isEqualTo(64);
    }

    @Test
    void theOperatorsNumberWinsAndUnsetMeansThisNodesProcessors() throws Exception {
        DatabaseConfig set = YAML_LIKE.readValue("{\"writers\": 3}", DatabaseConfig.class);
        assertThat(set.getWriters()).isEqualTo(3);
        DatabaseConfig unset = YAML_LIKE.readValue("{}", DatabaseConfig.class);
        assertThat(unset.getWriters())
                .isEqualTo(DatabaseConfig.defaultWriters(Runtime.getRuntime().availableProcessors()));
    }
}
