package io.hookline.signin;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.MovableClock;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in requests need no authentication, so their creation is capped: a bounded number open at once, and a rate per
 * client address. Past either, {@code POST /reg/access/} answers 429 {@code too-many-requests} saying which and when
 * to try again, and stores nothing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SignInLimitsTest {
    static final MovableClock CLOCK = new MovableClock();
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.appWithClock(CLOCK,
            "signIn.maxOpenRequests", "3",
            "signIn.requestsPerClientPerMinute", "2",
            "signIn.requestLifetime", "10 minutes");
    final ApiClient api = TestApps.client(APP);

    private ApiClient.Reply ask() {
        return api.post("/reg/access/", null, Map.of("requestingAppId", "capped-app", "requestedPermissions",
                List.of(Map.of("streamId", "diary", "level", "read"))));
    }

    @Test
    void aClientsRateAndTheOpenRequestsAreBounded() {
        JsonNode a = ok(ask(), 201).body();
        ok(ask(), 201);
        // Two a minute from one address: the third waits for the bucket to refill (30 s for one more).
        ApiClient.Reply fast = error(ask(), 429, "too-many-requests");
        assertThat(fast.body().path("error").path("message").asText()).contains("this address");
        assertThat(fast.body().path("error").path("data").path("retryAfter").asLong()).isEqualTo(30);
        assertThat(fast.header("Retry-After")).isEqualTo("30");

        CLOCK.advance(Duration.ofSeconds(30));
        ok(ask(), 201); // three open now: the cap
        CLOCK.advance(Duration.ofSeconds(30));
        ApiClient.Reply full = error(ask(), 429, "too-many-requests");
        assertThat(full.body().path("error").path("message").asText()).contains("open sign-in requests");
        assertThat(full.body().path("error").path("data").path("retryAfter").asLong()).isPositive();
        // what is open still works: the poll answers
        ok(api.get("/reg/access/" + a.path("key").asText(), null), 201);

        // Once the open requests expire there is room again.
        CLOCK.advance(Duration.ofMinutes(11));
        ok(ask(), 201);
    }
}
