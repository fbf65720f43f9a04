package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.notifier.testkit.LoopbackReceiver.Answer;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.Replies;
import io.hookline.support.TestApps;
import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /{username}/webhooks/{id}/attempts}: each attempt's duration, error class, the beginning of the target's
 * answer, the messages sent and the next planned attempt, against real receivers (one answering 500, one that never
 * answers in time, a closed port, a name that does not resolve); bounded per webhook as runs are; its owner only.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookAttemptsTest {
    static final int RUNS_SIZE = 3;
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "webhooks.minIntervalMs", "100",
            "webhooks.maxRetries", "20",
            "webhooks.runsSize", String.valueOf(RUNS_SIZE),
            "webhooks.maxBackoff", "1s",
            "webhooks.requestTimeout", "1s");
    static final Duration T = Duration.ofSeconds(20);

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    private JsonNode attempts(Hooks.Account a, String token, String id) {
        ApiClient.Reply r = Replies.ok(api.get(a.path("/webhooks/" + id + "/attempts"), token), 200);
        return r.body().path("attempts");
    }

    private JsonNode awaitAttempts(Hooks.Account a, String id, int count) {
        JsonNode[] last = new JsonNode[1];
        Wait.until(() -> (last[0] = attempts(a, a.appToken(), id)).size() >= count, T,
                count + " attempt(s) recorded (now: " + last[0] + ")");
        return last[0];
    }

    @Test
    void aServerErrorShowsItsClassTheAnswerAndTheNextAttemptThenASuccess() {
        String longAnswer = "database down: " + "é".repeat(2000);
        boolean[] healthy = {false};
        try (Receiver r = new Receiver().answering(n -> healthy[0] ? Answer.of(200, "thanks")
                : Answer.of(500, longAnswer))) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);

            JsonNode failed = awaitAttempts(a, id, 1).get(0);
            assertThat(failed.path("status").asInt()).isEqualTo(500);
            assertThat(failed.path("error").asText()).isEqualTo("http-5xx");
            assertThat(failed.path("reason").asText()).isEqualTo("HTTP 500");
            assertThat(failed.path("messages")).hasSize(1);
            assertThat(failed.path("messages").get(0).asText()).isEqualTo("eventsChanged");
            String answer = failed.path("answer").asText();
            assertThat(answer).startsWith("database down: é");
            assertThat(answer.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024)
                    .isGreaterThan(1020); // cut at 1 KiB without splitting a two-byte character
            assertThat(longAnswer).startsWith(answer);
            assertThat(failed.path("durationMs").isNumber()).isTrue();
            assertThat(failed.path("durationMs").asDouble()).isNotNegative();
            assertThat(failed.path("deliveryId").asText()).startsWith("msg_");
            assertThat(failed.path("nextAttempt").asDouble()).isGreaterThan(failed.path("timestamp").asDouble());
            // the run of Pryv's shape is the same attempt
            JsonNode run = hooks.webhook(a, id).path("runs").get(0);
            assertThat(run.path("status").asInt()).isEqualTo(500);
            assertThat(run.path("timestamp").decimalValue()).isEqualByComparingTo(failed.path("timestamp").decimalValue());

            healthy[0] = true;
            hooks.awaitWebhook(a, id, w -> w.path("lastRun").path("status").asInt() == 200, T, "a successful run");
            JsonNode ok = attempts(a, a.appToken(), id).get(0);
            assertThat(ok.path("status").asInt()).isEqualTo(200);
            assertThat(ok.path("error").isNull()).isTrue();
            assertThat(ok.path("reason").isNull()).isTrue();
            assertThat(ok.path("answer").asText()).isEqualTo("thanks");
            assertThat(ok.path("nextAttempt").isNull()).as("nothing left to deliver").isTrue();
            assertThat(ok.path("deliveryId").asText()).isEqualTo(failed.path("deliveryId").asText());
        }
    }

    @Test
    void attemptsAreBoundedAsRunsAreNewestFirst() {
        try (Receiver r = new Receiver().answering(n -> Answer.of(503, "busy " + n))) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);
            hooks.awaitRuns(a, id, RUNS_SIZE + 2, T);
            JsonNode list = attempts(a, a.appToken(), id);
            long runs = hooks.webhook(a, id).path("runCount").asLong();
            assertThat(list).hasSize(RUNS_SIZE);
            assertThat(list.get(0).path("run").asLong()).isGreaterThanOrEqualTo(runs);
            for (int i = 1; i < list.size(); i++) {
                assertThat(list.get(i).path("run").asLong()).isEqualTo(list.get(i - 1).path("run").asLong() - 1);
            }
            list.forEach(x -> assertThat(x.path("answer").asText()).isEqualTo("busy " + x.path("run").asLong()));
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsATimeout() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        try (Receiver r = new Receiver().answering(n -> {
            try {
                release.await(T.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Receiver.status(200);
        })) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);
            JsonNode attempt = awaitAttempts(a, id, 1).get(0);
            assertThat(attempt.path("error").asText()).isEqualTo("timeout");
            assertThat(attempt.path("status").asInt()).isZero();
            assertThat(attempt.path("answer").isNull()).isTrue();
            assertThat(attempt.path("durationMs").asDouble()).isGreaterThanOrEqualTo(1000);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aClosedPortIsAConnectErrorAndAnUnknownNameADnsError() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Hooks.Account a = hooks.account();
        String refused = hooks.createWebhook(a, "http://127.0.0.1:" + closed + "/hook");
        String unknown = hooks.createWebhook(a, "http://no-such-host.invalid/hook");
        hooks.createEvent(a);

        JsonNode c = awaitAttempts(a, refused, 1).get(0);
        assertThat(c.path("error").asText()).as(c.toString()).isEqualTo("connect");
        assertThat(c.path("status").asInt()).isZero();
        assertThat(c.path("reason").asText()).startsWith("no answer");
        JsonNode d = awaitAttempts(a, unknown, 1).get(0);
        assertThat(d.path("error").asText()).as(d.toString()).isEqualTo("dns");
    }

    @Test
    void onlyTheWebhooksOwnerReadsItsAttempts() {
        Hooks.Account a = hooks.account();
        String id = hooks.createWebhook(a, "http://127.0.0.1:9/never");
        assertThat(attempts(a, a.personal(), id).isArray()).isTrue();

        JsonNode other = hooks.access(a, a.personal(), "app", "another-app");
        Replies.error(api.get(a.path("/webhooks/" + id + "/attempts"), other.path("token").asText()), 403,
                "forbidden");
        Hooks.Account stranger = hooks.account();
        Replies.error(api.get("/" + stranger.name() + "/webhooks/" + id + "/attempts", stranger.personal()), 404,
                "unknown-resource");
        Replies.error(api.get(a.path("/webhooks/" + id + "/attempts"), "not-a-token"), 403, "invalid-access-token");
        Replies.error(api.get(a.path("/webhooks/nothing-here/attempts"), a.appToken()), 404, "unknown-resource");
    }

    @Test
    void aBatchCallReadsThemToo() {
        Hooks.Account a = hooks.account();
        String id = hooks.createWebhook(a, "http://127.0.0.1:9/never");
        ApiClient.Reply r = Replies.ok(api.post("/" + a.name() + "/", a.appToken(),
                List.of(Map.of("method", "webhooks.getAttempts", "params", Map.of("id", id)))), 200);
        assertThat(r.body().path("results").get(0).path("attempts").isArray()).as(r.body().toString()).isTrue();
    }
}
