package io.hookline.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** With {@code publicUrl} set, service information names that origin, not the request's. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ServiceInfoPublicUrlTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app("publicUrl", "https://api.example.com");

    @Test
    void thePublicUrlWinsOverTheRequestsOrigin() {
        JsonNode info = ok(TestApps.client(APP).get("/service/info", null), 200).body();
        assertThat(info.get("api").asText()).isEqualTo("https://api.example.com/{username}/");
        assertThat(info.get("register").asText()).isEqualTo("https://api.example.com/reg/");
        assertThat(info.get("access").asText()).isEqualTo("https://api.example.com/reg/access/");
    }
}
