package io.hookline.delivery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.storage.Tracking;
import io.hookline.webhooks.Webhook;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RunRulesTest {
    private static final long T0 = 1_764_230_400_000_000L; // microseconds
    private static final long MIN_INTERVAL_MS = 5000;

    /** No jitter, one hour cap, runs capped at 3. */
    private final RunRules rules = new RunRules(new Backoff(Duration.ofHours(1), BackoffTest.fixed(0.5)), 3);

    static Webhook fresh(int maxRetries) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return new Webhook("wh1", 1, "acc1", "https://example.com/hook", "http", f.objectNode(), null,
                MIN_INTERVAL_MS, maxRetries, 0, Webhook.State.ACTIVE, 0, 0, 0, 0, f.arrayNode(), 0, null,
                Tracking.createdBy("acc1", T0 - 1));
    }

    private static final DeliveryOutcome OK = DeliveryOutcome.delivered(200);
    private static final DeliveryOutcome FAIL = DeliveryOutcome.retry(500, "HTTP 500");

    @Test
    void successCountsARunClearsRetriesAndThrottles() {
        Webhook w = rules.apply(fresh(5), FAIL, T0, T0 + 10, MIN_INTERVAL_MS, "msg_1");
        Webhook ok = rules.apply(w, OK, T0 + 20, T0 + 30, MIN_INTERVAL_MS, "msg_1");
        assertThat(ok.runCount()).isEqualTo(2);
        assertThat(ok.failCount()).isEqualTo(1);
        assertThat(ok.currentRetries()).isZero();
        assertThat(ok.lastRunStatus()).isEqualTo(200);
        assertThat(ok.lastRunTime()).isEqualTo(T0 + 20);
        assertThat(ok.nextAttemptAt()).isEqualTo(T0 + 30 + MIN_INTERVAL_MS * 1000);
        assertThat(ok.deliveryId()).isNull();
        assertThat(ok.isActive()).isTrue();
        assertThat(ok.runs().get(0).path("status").asInt()).isEqualTo(200);
        assertThat(ok.runs().get(0).has("reason")).isFalse();
        assertThat(ok.runs().get(0).path("timestamp").asDouble()).isEqualTo((T0 + 20) / 1e6);
    }

    @Test
    void failureCountsBacksOffAndKeepsTheNotificationId() {
        Webhook w = fresh(5);
        long[] expectedDelayMs = {5000, 10_000, 20_000, 40_000, 80_000};
        for (int i = 0; i < 5; i++) {
            long at = T0 + i * 1000;
            w = rules.apply(w, FAIL, at, at + 1, MIN_INTERVAL_MS, "msg_1");
            assertThat(w.currentRetries()).isEqualTo(i + 1);
            assertThat(w.failCount()).isEqualTo(i + 1);
            assertThat(w.runCount()).isEqualTo(i + 1);
            assertThat(w.lastRunStatus()).isEqualTo(500);
            assertThat(w.nextAttemptAt()).isEqualTo(at + 1 + expectedDelayMs[i] * 1000);
            assertThat(w.deliveryId()).isEqualTo("msg_1");
            assertThat(w.isActive()).as("after failure %d", i + 1).isTrue();
        }
        assertThat(w.runs().get(0).path("reason").asText()).isEqualTo("HTTP 500");
    }

    @Test
    void deactivatesWhenRetriesExceedMaxRetries() {
        Webhook w = fresh(5);
        for (int i = 0; i < 5; i++) w = rules.apply(w, FAIL, T0 + i, T0 + i, MIN_INTERVAL_MS, "m");
        assertThat(w.isActive()).isTrue();
        w = rules.apply(w, FAIL, T0 + 9, T0 + 9, MIN_INTERVAL_MS, "m"); // the 6th attempt
        assertThat(w.state()).isEqualTo(Webhook.State.INACTIVE);
        assertThat(w.currentRetries()).isEqualTo(6);
        assertThat(w.runCount()).isEqualTo(6);
        assertThat(w.failCount()).isEqualTo(6);

        Webhook zero = rules.apply(fresh(0), FAIL, T0, T0, MIN_INTERVAL_MS, "m");
        assertThat(zero.state()).isEqualTo(Webhook.State.INACTIVE);
    }

    @Test
    void aPermanentFailureDeactivatesAtOnce() {
        Webhook w = rules.apply(fresh(5), DeliveryOutcome.permanent(410, "410 Gone"), T0, T0, MIN_INTERVAL_MS, "m");
        assertThat(w.state()).isEqualTo(Webhook.State.INACTIVE);
        assertThat(w.currentRetries()).isEqualTo(1);
        assertThat(w.failCount()).isEqualTo(1);
        assertThat(w.runCount()).isEqualTo(1);
        assertThat(w.lastRunStatus()).isEqualTo(410);
        assertThat(w.runs().get(0).path("reason").asText()).isEqualTo("410 Gone");
    }

    @Test
    void noAnswerIsStatusZero() {
        Webhook w = rules.apply(fresh(5), DeliveryOutcome.retry(0, "timed out after 500 ms"), T0, T0,
                MIN_INTERVAL_MS, "m");
        assertThat(w.lastRunStatus()).isZero();
        assertThat(w.runs().get(0).path("status").asInt()).isZero();
        assertThat(w.runs().get(0).path("reason").asText()).contains("timed out");
    }

    @Test
    void retryAfterIsHonouredWhenLonger() {
        Webhook w = rules.apply(fresh(5), DeliveryOutcome.retryAfter(429, "HTTP 429", Duration.ofSeconds(30)), T0,
                T0, MIN_INTERVAL_MS, "m");
        assertThat(w.nextAttemptAt()).isEqualTo(T0 + 30_000_000L);
        assertThat(w.isActive()).isTrue();
    }

    @Test
    void runsAreNewestFirstAndCapped() {
        Webhook w = fresh(100);
        for (int i = 1; i <= 5; i++) {
            w = rules.apply(w, i % 2 == 0 ? OK : FAIL, T0 + i * 1_000_000L, T0 + i * 1_000_000L, MIN_INTERVAL_MS, "m");
        }
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
    void leavesClientFieldsAlone() {
        Webhook before = fresh(5);
        Webhook after = rules.apply(before, OK, T0, T0, MIN_INTERVAL_MS, "m");
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.url()).isEqualTo(before.url());
        assertThat(after.accessId()).isEqualTo(before.accessId());
        assertThat(after.minIntervalMs()).isEqualTo(before.minIntervalMs());
        assertThat(after.maxRetries()).isEqualTo(before.maxRetries());
        assertThat(after.tracking()).isEqualTo(before.tracking());
        assertThat(before.runs()).isEmpty(); // the input is not mutated
    }
}
