package io.hookline.delivery;

import io.hookline.notifier.DeliveryOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureLogTest {
    private static final long T0 = 1_764_230_400_000L;

    @Test
    void aWebhookIsLoggedAtMostOnceAMinuteAndEachOnItsOwn() {
        FailureLog log = new FailureLog();
        assertThat(log.shouldLog("wh1", T0)).isTrue();
        assertThat(log.shouldLog("wh1", T0 + 1)).isFalse();
        assertThat(log.shouldLog("wh2", T0 + 1)).isTrue();
        assertThat(log.shouldLog("wh1", T0 + FailureLog.EVERY_MS - 1)).isFalse();
        assertThat(log.shouldLog("wh1", T0 + FailureLog.EVERY_MS)).isTrue();
        assertThat(log.shouldLog("wh2", T0 + FailureLog.EVERY_MS)).isFalse();
    }

    @Test
    void failuresAreCountedByAFixedSetOfKinds() {
        assertThat(DeliveryMetrics.kind(Attempted.held("denied range"))).isEqualTo("held");
        assertThat(kind(DeliveryOutcome.retry(0, "timed out after 12000 ms"))).isEqualTo("timeout");
        assertThat(kind(DeliveryOutcome.retry(0, "no answer: refused"))).isEqualTo("no-answer");
        assertThat(kind(DeliveryOutcome.retry(503, "HTTP 503"))).isEqualTo("server-error");
        assertThat(kind(DeliveryOutcome.retry(429, "HTTP 429"))).isEqualTo("rate-limited");
        assertThat(kind(DeliveryOutcome.permanent(410, "gone"))).isEqualTo("gone");
        assertThat(kind(DeliveryOutcome.retry(404, "HTTP 404"))).isEqualTo("client-error");
        assertThat(kind(DeliveryOutcome.retry(302, "HTTP 302"))).isEqualTo("other");
    }

    private static String kind(DeliveryOutcome outcome) {
        return DeliveryMetrics.kind(Attempted.of(outcome));
    }
}
