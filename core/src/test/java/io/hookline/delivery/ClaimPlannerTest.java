package io.hookline.delivery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimPlannerTest {
    /** The database's time and the node's in these tests: the planner keeps them apart, so they differ here. */
    private static final long DB = 5_000_000_000L;
    private static final long NODE = 7_000_000_000L;
    private static final long SECOND = ClaimPlanner.LOOK_AT_ALL_EVERY_MICROS;
    private static final Predicate<String> NONE_PARKED = id -> false;

    private final ClaimPlanner planner = new ClaimPlanner();

    /** The planner just after a claim of everything at {@code NODE} that found nothing else due. */
    private ClaimPlanner lookedAtAll() {
        assertThat(planner.next(DB, NODE, 256, NONE_PARKED)).as("a claim of everything").isEmpty();
        return planner;
    }

    @Test
    void theFirstClaimLooksAtEverything() {
        assertThat(planner.due()).isLessThan(DB);
        planner.expect("w1", DB);
        assertThat(planner.next(DB, NODE, 256, NONE_PARKED)).isEmpty();
    }

    @Test
    void offeredWebhooksDueNowAreClaimedByIdOnceEach() {
        lookedAtAll().expect("w1", DB - 10);
        planner.expect("w2", DB);
        planner.expect("w3", DB + 1); // not due yet: stays for a later claim
        assertThat(planner.due()).isEqualTo(DB - 10);

        assertThat(planner.next(DB, NODE + 1, 256, NONE_PARKED)).containsExactlyInAnyOrder("w1", "w2");
        assertThat(planner.due()).isEqualTo(DB + 1);
        assertThat(planner.next(DB + 1, NODE + 2, 256, NONE_PARKED)).containsExactly("w3");
    }

    @Test
    void anOfferKeepsTheEarlierOfItsDueTimes() {
        lookedAtAll().expect("w1", DB + 100);
        planner.expect("w1", DB + 50);
        planner.expect("w1", DB + 80);
        assertThat(planner.due()).isEqualTo(DB + 50);
        assertThat(planner.next(DB + 50, NODE + 1, 256, NONE_PARKED)).containsExactly("w1");
    }

    @Test
    void withNoOfferedWebhookDueTheClaimLooksAtEverythingAndForgetsWhatWasOffered() {
        lookedAtAll().expect("w1", DB + 100);
        assertThat(planner.next(DB, NODE + 1, 256, NONE_PARKED)).as("a poll").isEmpty();
        // That claim saw w1 pending and reported its due time: what the store passes to wakeAt.
        assertThat(planner.due()).isEqualTo(Long.MAX_VALUE);
        planner.wakeAt(DB + 100);
        assertThat(planner.due()).isEqualTo(DB + 100);
        assertThat(planner.next(DB + 100, NODE + 2, 256, NONE_PARKED)).isEmpty();
    }

    @Test
    void whenSomethingNotOfferedIsDueTheClaimLooksAtEverything() {
        lookedAtAll().expect("w1", DB);
        assertThat(planner.wakeAt(DB - 1)).isTrue();
        assertThat(planner.wakeAt(DB)).as("not earlier").isFalse();
        assertThat(planner.next(DB, NODE + 1, 256, NONE_PARKED)).isEmpty();
    }

    @Test
    void everythingIsLookedAtAtLeastEverySecondHoweverManyOffersCome() {
        lookedAtAll();
        long node = NODE;
        for (int i = 0; node + 100_000 < NODE + SECOND; i++) {
            node += 100_000;
            planner.expect("w" + i, DB);
            assertThat(planner.next(DB, node, 256, NONE_PARKED)).containsExactly("w" + i);
        }
        planner.expect("late", DB);
        assertThat(planner.next(DB, NODE + SECOND, 256, NONE_PARKED)).isEmpty();
        // And the second counts again from that claim.
        planner.expect("next", DB);
        assertThat(planner.next(DB, NODE + SECOND + 1, 256, NONE_PARKED)).containsExactly("next");
    }

    @Test
    void aNodeClockSetBackCountsAsTimePassed() {
        lookedAtAll().expect("w1", DB);
        assertThat(planner.next(DB, NODE - 1, 256, NONE_PARKED)).isEmpty();
    }

    @Test
    void moreDueAtOnceThanOneClaimByIdTakesAreLookedAtWithEverything() {
        lookedAtAll();
        IntStream.range(0, ClaimPlanner.MOST_BY_ID).forEach(i -> planner.expect("w" + i, DB));
        assertThat(planner.next(DB, NODE + 1, 256, NONE_PARKED)).hasSize(ClaimPlanner.MOST_BY_ID);

        IntStream.range(0, ClaimPlanner.MOST_BY_ID + 1).forEach(i -> planner.expect("w" + i, DB));
        assertThat(planner.next(DB, NODE + 2, 256, NONE_PARKED)).isEmpty();

        // Nor more than the scheduler has room for.
        IntStream.range(0, 4).forEach(i -> planner.expect("w" + i, DB));
        assertThat(planner.next(DB, NODE + 3, 3, NONE_PARKED)).isEmpty();
    }

    @Test
    void pastTheMostRememberedAnOfferMovesTheNextLookAtEverything() {
        lookedAtAll();
        IntStream.range(0, ClaimPlanner.MAX_OFFERED)
                .forEach(i -> assertThat(planner.expect("w" + i, DB + 10)).isTrue());
        assertThat(planner.expect("w0", DB + 5)).as("one remembered already").isTrue();
        assertThat(planner.due()).isEqualTo(DB + 5);

        assertThat(planner.expect("more", DB + 1)).as("an earlier due time: wake").isTrue();
        assertThat(planner.expect("evenMore", DB + 2)).as("not earlier").isFalse();
        assertThat(planner.due()).isEqualTo(DB + 1);
        assertThat(planner.next(DB + 1, NODE + 1, 256, NONE_PARKED)).isEmpty();
    }

    @Test
    void parkedWebhooksAreNotClaimedById() {
        lookedAtAll().expect("w1", DB);
        planner.expect("w2", DB);
        assertThat(planner.next(DB, NODE + 1, 256, Set.of("w1")::contains)).containsExactly("w2");

        planner.expect("w3", DB);
        List<String> onlyParked = planner.next(DB, NODE + 2, 256, Set.of("w3")::contains);
        assertThat(onlyParked).as("nothing left to claim by id: everything is looked at").isEmpty();
        assertThat(planner.due()).isEqualTo(Long.MAX_VALUE);
    }
}
