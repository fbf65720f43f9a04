package io.hookline.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.edge.Meta;
import io.hookline.support.ApiClient;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /service/info} and {@code /reg/service/info}: where pryv.Service starts. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ServiceInfoTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "service.name", "Step Lab", "service.home", "https://steps.example.org",
            "service.support", "https://steps.example.org/help", "service.terms", "https://steps.example.org/terms");

    @Test
    void describesTheServiceWithTheRequestsOwnOrigin() {
        ApiClient api = TestApps.client(APP);
        String origin = "http://127.0.0.1:" + APP.getLocalPort() + "/";
        for (String path : new String[]{"/service/info", "/reg/service/info"}) {
            ApiClient.Reply r = ok(api.get(path, null), 200);
            io.hookline.edge.TimestampFormatTest.assertPlainTimes(r.text());
            JsonNode info = r.body();
            assertThat(info.get("api").asText()).isEqualTo(origin + "{username}/");
            assertThat(info.get("register").asText()).isEqualTo(origin + "reg/");
            assertThat(info.get("access").asText()).isEqualTo(origin + "reg/access/");
            assertThat(info.get("name").asText()).isEqualTo("Step Lab");
            assertThat(info.get("home").asText()).isEqualTo("https://steps.example.org");
            assertThat(info.get("support").asText()).isEqualTo("https://steps.example.org/help");
            assertThat(info.get("terms").asText()).isEqualTo("https://steps.example.org/terms");
            assertThat(info.get("eventTypes").asText()).startsWith("https://");
            assertThat(info.get("serial").asText()).isEqualTo("2026112701");
            assertThat(info.get("version").asText()).isEqualTo(Meta.API_VERSION);
            assertThat(info.get("features").get("noHF").asBoolean()).isTrue();
            assertThat(info.get("assets").get("definitions").asText()).isEqualTo(origin + "reg/assets/index.json");
        }
    }
}
