package io.hookline.auth;

import org.junit.jupiter.api.Test;

import static io.hookline.auth.Level.CONTRIBUTE;
import static io.hookline.auth.Level.CREATE_ONLY;
import static io.hookline.auth.Level.MANAGE;
import static io.hookline.auth.Level.READ;
import static org.assertj.core.api.Assertions.assertThat;

/** Levels on the wire, and which level an access may grant to an access it creates. */
class LevelTest {
    @Test
    void wireNamesRoundTrip() {
        for (Level l : Level.values()) assertThat(Level.fromWire(l.wire())).contains(l);
        assertThat(Level.fromWire("create-only")).contains(CREATE_ONLY);
        assertThat(Level.fromWire("admin")).isEmpty();
        assertThat(Level.fromWire("MANAGE")).isEmpty();
        assertThat(Level.fromWire(null)).isEmpty();
    }

    @Test
    void grantsAtOrBelowOwnLevelOnly() {
        assertThat(MANAGE.covers(MANAGE)).isTrue();
        assertThat(MANAGE.covers(CONTRIBUTE)).isTrue();
        assertThat(MANAGE.covers(CREATE_ONLY)).isTrue();
        assertThat(MANAGE.covers(READ)).isTrue();

        assertThat(CONTRIBUTE.covers(MANAGE)).isFalse();
        assertThat(CONTRIBUTE.covers(CONTRIBUTE)).isTrue();
        assertThat(CONTRIBUTE.covers(CREATE_ONLY)).isTrue();
        assertThat(CONTRIBUTE.covers(READ)).isTrue();

        assertThat(READ.covers(READ)).isTrue();
        assertThat(READ.covers(CREATE_ONLY)).isFalse();
        assertThat(READ.covers(CONTRIBUTE)).isFalse();

        // create-only cannot read, so it must not hand out reading (nor contributing, which reads).
        assertThat(CREATE_ONLY.covers(CREATE_ONLY)).isTrue();
        assertThat(CREATE_ONLY.covers(READ)).isFalse();
        assertThat(CREATE_ONLY.covers(CONTRIBUTE)).isFalse();
        assertThat(CREATE_ONLY.covers(MANAGE)).isFalse();
    }
}
