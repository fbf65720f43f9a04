package io.hookline.storage;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A handle names the engine its Jdbi was installed for; statements that differ by engine rely on it. */
class DialectTest {
    @Test
    void aHandleNamesTheEngineItsJdbiWasInstalledFor() {
        // The engine is read from the Jdbi's configuration only: any connection shows it.
        for (Dialect d : Dialect.values()) {
            Jdbi jdbi = d.install(Jdbi.create("jdbc:sqlite::memory:"));
            assertThat(jdbi.withHandle(Dialect::of)).isEqualTo(d);
        }
        // A Jdbi set up without it gets the statements both engines run.
        assertThat(Jdbi.create("jdbc:sqlite::memory:").withHandle(Dialect::of)).isEqualTo(Dialect.SQLITE);
    }
}
