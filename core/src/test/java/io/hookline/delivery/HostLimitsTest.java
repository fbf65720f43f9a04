package io.hookline.delivery;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HostLimitsTest {
    private final HostLimits limits = new HostLimits(2);

    @Test
    void eachHostHasItsOwnPlaces() {
        assertThat(limits.admit("a:80", "w1")).isTrue();
        assertThat(limits.admit("a:80", "w2")).isTrue();
        assertThat(limits.admit("a:80", "w3")).isFalse();
        assertThat(limits.admit("b:80", "w4")).isTrue();
        assertThat(limits.inFlight("a:80")).isEqualTo(2);
        assertThat(limits.waiting("a:80")).isEqualTo(1);
    }

    @Test
    void aReleasedPlaceGoesToTheFirstInLineWhoThenStartsWithoutWaiting() {
        limits.admit("a:80", "w1");
        limits.admit("a:80", "w2");
        assertThat(limits.admit("a:80", "w3")).isFalse();
        assertThat(limits.admit("a:80", "w4")).isFalse();
        assertThat(limits.admit("a:80", "w3")).isFalse(); // asking again keeps its place in line

        assertThat(limits.release("a:80")).contains("w3");
        assertThat(limits.inFlight("a:80")).isEqualTo(2);
        assertThat(limits.admit("a:80", "w5")).isFalse(); // the place is w3's
        assertThat(limits.admit("a:80", "w3")).isTrue();
        assertThat(limits.waiting("a:80")).isEqualTo(2);
    }

    @Test
    void placesAreFreedWhenNobodyWaits() {
        limits.admit("a:80", "w1");
        limits.admit("a:80", "w2");
        assertThat(limits.release("a:80")).isEmpty();
        assertThat(limits.release("a:80")).isEmpty();
        assertThat(limits.inFlight("a:80")).isZero();
        assertThat(limits.admit("a:80", "w3")).isTrue();
    }

    @Test
    void aWithdrawnWebhookLeavesItsLineAndPassesOnAPlaceItWasHanded() {
        limits.admit("a:80", "w1");
        limits.admit("a:80", "w2");
        limits.admit("a:80", "w3");
        limits.admit("a:80", "w4");
        limits.admit("a:80", "w5");
        assertThat(limits.withdraw("w4")).isEmpty(); // waiting only: leaves the line
        assertThat(limits.waiting("a:80")).isEqualTo(2);

        assertThat(limits.release("a:80")).contains("w3");
        Optional<String> next = limits.withdraw("w3"); // w3 was deleted before it could start
        assertThat(next).contains("w5");
        assertThat(limits.waiting("a:80")).isZero();
        assertThat(limits.inFlight("a:80")).isEqualTo(2);
        assertThat(limits.withdraw("w5")).isEmpty(); // handed a place, no one waits: the place is freed
        assertThat(limits.inFlight("a:80")).isEqualTo(1);
    }
}
