package io.hookline.delivery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hookline.notifier.DeliveryOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RunRulesTest {
    private static final long T0 = 1_764_230_400_000_000L; // microseconds
    private static final long MIN_INTERVAL_MS = 5000;

    /** No jitter, one hour cap, runs capped at 3. */
    private final RunRules rules = new RunRules(new Backoff(Duration.ofHours(1), BackoffTest.fixed(0.5)), 3);

    private static DeliveryTarget target(int maxRetries) {
        return new DeliveryTarget("wh1", 1, "https://example.com/hook", "http", JsonNodeFactory.instance.objectNode(),
                MIN_INTERVAL_MS, maxRetries, true);
    }

    /** A webhook never delivered, and a helper that applies each attempt to the state the last one left. */
    private final class Hook {
        final DeliveryTarget target;
        DeliveryState state = DeliveryState.initial();
        boolean deactivated;

        Hook(int maxRetries) {
            target = target(maxRetries);
        }

        Hook apply(DeliveryOutcome outcome, long at, long now, String deliveryId) {
            RunRules.Run run = rules.apply(target, state, outcome, at, now, MIN_INTERVAL_MS, deliveryId);
            state = run.state();
            deactivated |= run.deactivates();
            return this;
        }
    }

    private static final DeliveryOutcome OK = DeliveryOutcome.delivered(200);
    private static final DeliveryOutcome FAIL = DeliveryOutcome.retry(500, "HTTP 500");

    @Test
    void successCountsARunClearsRetriesAndThrottles() {
        Hook h = new Hook(5).apply(FAIL, T0, T0 + 10, "msg_1").apply(OK, T0 + 20, T0 + 30, "msg_1");
        DeliveryState ok = h.state;
        assertThat(ok.runCount()).isEqualTo(2);
        assertThat(ok.failCount()).isEqualTo(1);
        assertThat(ok.currentRetries()).isZero();
        assertThat(ok.lastRunStatus()).isEqualTo(200);
        assertThat(ok.lastRunTime()).isEqualTo(T0 + 20);
        assertThat(ok.nextAttemptAt()).isEqualTo(T0 + 30 + MIN_INTERVAL_MS * 1000);
        assertThat(ok.deliveryId()).isNull();
        assertThat(h.deactivated).isFalse();
        assertThat(ok.runs().get(0).path("status").asInt()).isEqualTo(200);
        assertThat(ok.runs().get(0).has("reason")).isFalse();
        assertThat(ok.runs().get(0).path("timestamp").asDouble()).isEqualTo((T0 + 20) / 1e6);
    }

    @Test
    void failureCountsBacksOffAndKeepsTheNotificationId() {
        Hook h = new Hook(5);
        long[] expectedDelayMs = {5000, 10_000, 20_000, 40_000, 80_000};
        for (int i = 0; i < 5; i++) {
            long at = T0 + i * 1000;
            DeliveryState w = h.apply(FAIL, at, at + 1, "msg_1").state;
            assertThat(w.currentRetries()).isEqualTo(i + 1);
            assertThat(w.failCount()).isEqualTo(i + 1);
            assertThat(w.runCount()).isEqualTo(i + 1);
            assertThat(w.lastRunStatus()).isEqualTo(500);
            assertThat(w.nextAttemptAt()).isEqualTo(at + 1 + expectedDelayMs[i] * 1000);
            assertThat(w.deliveryId()).isEqualTo("msg_1");
            assertThat(h.deactivated).as("after failure %d", i + 1).isFalse();
        }
        assertThat(h.state.runs().get(0).path("reason").asText()).isEqualTo("HTTP 500");
    }

    @Test
    void heldAttemptsBackOffWithoutCountingAgainstTheWebhook() {
        Hook h = new Hook(1).apply(FAIL, T0, T0, "m"); // one real failure first
        long[] expectedDelayMs = {5000, 10_000, 20_000, 40_000};
        for (int i = 0; i < 4; i++) {
            long at = T0 + (i + 1) * 1_000_000L;
            RunRules.Run run = rules.applyHeld(h.state, "no notifier is installed for type \"gone\"", at, at + 1,
                    MIN_INTERVAL_MS, "m");
            h.state = run.state();
            assertThat(run.deactivates()).as("after held attempt %d", i + 1).isFalse();
            assertThat(h.state.currentRetries()).isEqualTo(1);
            assertThat(h.state.failCount()).isEqualTo(i + 2);
            assertThat(h.state.runCount()).isEqualTo(i + 2);
            assertThat(h.state.deliveryId()).isEqualTo("m");
            assertThat(h.state.nextAttemptAt()).isEqualTo(at + 1 + expectedDelayMs[i] * 1000);
            assertThat(RunRules.isHeld(h.state.runs().get(0))).isTrue();
            assertThat(h.state.runs().get(0).path("status").asInt()).isZero();
            assertThat(h.state.runs().get(0).path("reason").asText()).contains("no notifier");
        }
        // a real failure after them counts again, and its run is not marked held
        h.apply(FAIL, T0 + 9_000_000L, T0 + 9_000_000L, "m");
        assertThat(h.deactivated).isTrue();
        assertThat(h.state.runs().get(0).has(RunRules.HELD)).isFalse();
    }

    @Test
    void deactivatesWhenRetriesExceedMaxRetries() {
        Hook h = new Hook(5);
        for (int i = 0; i < 5; i++) h.apply(FAIL, T0 + i, T0 + i, "m");
        assertThat(h.deactivated).isFalse();
        h.apply(FAIL, T0 + 9, T0 + 9, "m"); // the 6th attempt
        assertThat(h.deactivated).isTrue();
        assertThat(h.state.currentRetries()).isEqualTo(6);
        assertThat(h.state.runCount()).isEqualTo(6);
        assertThat(h.state.failCount()).isEqualTo(6);

        assertThat(new Hook(0).apply(FAIL, T0, T0, "m").deactivated).isTrue();
    }

    @Test
    void aPermanentFailureDeactivatesAtOnce() {
        Hook h = new Hook(5).apply(DeliveryOutcome.permanent(410, "410 Gone"), T0, T0, "m");
        assertThat(h.deactivated).isTrue();
        assertThat(h.state.currentRetries()).isEqualTo(1);
        assertThat(h.state.failCount()).isEqualTo(1);
        assertThat(h.state.runCount()).isEqualTo(1);
        assertThat(h.state.lastRunStatus()).isEqualTo(410);
        assertThat(h.state.runs().get(0).path("reason").asText()).isEqualTo("410 Gone");
    }

    @Test
    void noAnswerIsStatusZero() {
        DeliveryState w = new Hook(5).apply(DeliveryOutcome.retry(0, "timed out after 500 ms"), T0, T0, "m").state;
        assertThat(w.lastRunStatus()).isZero();
        assertThat(w.runs().get(0).path("status").asInt()).isZero();
        assertThat(w.runs().get(0).path("reason").asText()).contains("timed out");
    }

    @Test
    void retryAfterIsHonouredWhenLonger() {
        Hook h = new Hook(5).apply(DeliveryOutcome.retryAfter(429, "HTTP 429", Duration.ofSeconds(30)), T0, T0, "m");
        assertThat(h.state.nextAttemptAt()).isEqualTo(T0 + 30_000_000L);
        assertThat(h.deactivated).isFalse();
    }

    @Test
    void runsAreNewestFirstAndCapped() {
        Hook h = new Hook(100);
        for (int i = 1; i <= 5; i++) h.apply(i % 2 == 0 ? OK : FAIL, T0 + i * 1_000_000L, T0 + i * 1_000_000L, "m");
        DeliveryState w = h.state;
        assertThat(w.runs()).hasSize(3);
        assertThat(w.runs().get(0).path("timestamp").asDouble()).isEqualTo((T0 + 5_000_000L) / 1e6);
        assertThat(w.runs().get(1).path("timestamp").asDouble()).isEqualTo((T0 + 4_000_000L) / 1e6);
        assertThat(w.runs().get(2).path("timestamp").asDouble()).isEqualTo((T0 + 3_000_000L) / 1e6);
        assertThat(w.runs().get(0).path("status").asInt()).isEqualTo(500);
        assertThat(w.runs().get(1).path("status").asInt()).isEqualTo(200);
        assertThat(w.runCount()).isEqualTo(5);
        assertThat(w.failCount()).isEqualTo(3);
    }

    @Test
    void theInputStateIsNotChanged() {
        DeliveryState before = DeliveryState.initial();
        rules.apply(target(5), before, OK, T0, T0, MIN_INTERVAL_MS, "m");
        assertThat(before.runs()).isEmpty();
        assertThat(before.runCount()).isZero();
    }

    @Test
    void theIntervalInForceIsTheLongerOfTheWebhooksAndItsNotifiers() {
        assertThat(RunRules.effectiveMinIntervalMs(5000, Duration.ZERO)).isEqualTo(5000);
        assertThat(RunRules.effectiveMinIntervalMs(200, Duration.ofSeconds(1))).isEqualTo(1000);
    }

    @Test
    void reactivationAfterASuccessKeepsTheThrottle() {
        DeliveryState delivered = new Hook(5).apply(OK, T0, T0 + 10, "m").state; // due at T0 + 10 + 5 s
        assertThat(RunRules.reactivationDue(delivered, MIN_INTERVAL_MS, T0 + 1_000_000))
                .isEqualTo(T0 + 10 + MIN_INTERVAL_MS * 1000);
        assertThat(RunRules.reactivationDue(delivered, MIN_INTERVAL_MS, T0 + 60_000_000)).isEqualTo(T0 + 60_000_000);
    }

    @Test
    void reactivationInBackoffEndsTheBackoffButNotTheThrottle() {
        Hook h = new Hook(5);
        for (int i = 0; i < 4; i++) h.apply(FAIL, T0 + i, T0 + i, "m"); // due 40 s after the last
        long lastRun = T0 + 3;
        assertThat(RunRules.reactivationDue(h.state, MIN_INTERVAL_MS, T0 + 1_000_000))
                .isEqualTo(lastRun + MIN_INTERVAL_MS * 1000);
        assertThat(RunRules.reactivationDue(h.state, MIN_INTERVAL_MS, T0 + 9_000_000)).isEqualTo(T0 + 9_000_000);
        DeliveryState resumed = h.state.reactivated(T0 + 9_000_000);
        assertThat(resumed.currentRetries()).isZero();
        assertThat(resumed.failCount()).isEqualTo(4);
        assertThat(resumed.nextAttemptAt()).isEqualTo(T0 + 9_000_000);
    }
}
