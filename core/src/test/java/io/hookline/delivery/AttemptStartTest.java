package io.hookline.delivery;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attempt's start on the database's clock, on PostgreSQL: the node's start plus an offset known to within half a
 * claim's round trip, kept between the due time the claim honored and the finish.
 */
class AttemptStartTest {
    private static final long DUE = 1_000_000_000L;

    private static DeliveryStore.Attempt startedAt(long nodeStart) {
        DeliveryStore.Claim claim = new DeliveryStore.Claim(new DeliveryStore.Lease("w1", 1), null,
                DeliveryState.initial().reactivated(DUE), List.of(), "alice");
        return new DeliveryStore.Attempt(claim, new Tried(Attempted.held("denied range"), null, nodeStart, 0), 100,
                "msg_1");
    }

    @Test
    void anEstimateBeforeTheDueTimeIsShownAtTheDueTime() {
        // The offset came out 15 ms short: the attempt looks as if it started before it was due.
        assertThat(PostgresDeliveryStore.startOnDatabaseClock(startedAt(DUE - 5_000), -10_000, DUE + 50_000))
                .isEqualTo(DUE);
    }

    @Test
    void anEstimateWithinTheClaimsWindowIsKept() {
        assertThat(PostgresDeliveryStore.startOnDatabaseClock(startedAt(DUE + 2_000), 1_000, DUE + 50_000))
                .isEqualTo(DUE + 3_000);
    }

    @Test
    void anEstimateAfterTheFinishIsShownAtTheFinish() {
        assertThat(PostgresDeliveryStore.startOnDatabaseClock(startedAt(DUE + 40_000), 20_000, DUE + 50_000))
                .isEqualTo(DUE + 50_000);
    }

    @Test
    void twoRunsAreNeverShownCloserThanTheDelayBetweenThem() {
        // The first run finished at F and set the next due time F + 100 ms; the offsets of the two claims erred by
        // +10 ms and -10 ms.
        long finish = DUE + 30_000;
        long first = PostgresDeliveryStore.startOnDatabaseClock(startedAt(finish - 5_000), 10_000, finish);
        DeliveryStore.Claim next = new DeliveryStore.Claim(new DeliveryStore.Lease("w1", 2), null,
                DeliveryState.initial().reactivated(finish + 100_000), List.of(), "alice");
        DeliveryStore.Attempt second = new DeliveryStore.Attempt(next,
                new Tried(Attempted.held("denied range"), null, finish + 101_000, 0), 100, "msg_1");
        long secondAt = PostgresDeliveryStore.startOnDatabaseClock(second, -10_000, finish + 150_000);
        assertThat(secondAt - first).isGreaterThanOrEqualTo(100_000);
    }
}
