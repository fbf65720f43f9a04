package io.hookline.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.storage.ChangeClock;
import io.hookline.storage.Json;
import io.hookline.support.ApiClient;
import io.hookline.support.ApiClient.User;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Timestamps are written as plain decimals with at most 6 fraction digits, never in exponent notation. */
@ExtendWith(DropwizardExtensionsSupport.class)
public class TimestampFormatTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);
    private static final Pattern TIME_FIELD =
            Pattern.compile("\"(serverTime|created|modified|time|expires|deleted|timestamp)\":([^,}\\]]+)");

    /** Every time field of a JSON text is a plain decimal with at most 6 fraction digits. */
    public static void assertPlainTimes(String json) {
        Matcher m = TIME_FIELD.matcher(json);
        int found = 0;
        while (m.find()) {
            found++;
            assertThat(m.group(2)).as("%s in %s", m.group(1), json).matches("-?\\d+(\\.\\d{1,6})?");
        }
        assertThat(found).as("time fields in %s", json).isPositive();
    }

    @Test
    void theWriterWritesNumbersAsJavaScriptDoes() throws Exception {
        ObjectMapper mapper = Json.newMapper();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("t", 1.796012952512949E9);
        o.put("whole", ChangeClock.toSeconds(1_796_012_952_000_000L));
        o.put("micros", ChangeClock.toSeconds(1_796_012_952_512_949L));
        o.put("rounded", ChangeClock.roundSeconds(1796012952.5129491));
        o.put("small", 1e-7);
        o.put("huge", 1e22);
        o.put("plain", 0.25);
        o.put("big", new BigDecimal("1.5E+10"));
        assertThat(mapper.writeValueAsString(o)).isEqualTo("{\"t\":1796012952.512949,\"whole\":1796012952,"
                + "\"micros\":1796012952.512949,\"rounded\":1796012952.512949,\"small\":1.0E-7,\"huge\":1.0E22,"
                + "\"plain\":0.25,\"big\":15000000000}");
    }

    @Test
    void answersWriteTimesAsPlainDecimals() {
        User u = api.newUser("times");
        String base = "/" + u.username();
        ok(api.post(base + "/streams", u.token(), Map.of("id", "s", "name", "S")), 201);
        ApiClient.Reply created = ok(api.post(base + "/events", u.token(), Map.of("streamIds", List.of("s"),
                "type", "note/txt", "content", "x", "time", 1796012952.5129491)), 201);
        assertPlainTimes(created.text());
        assertThat(created.text()).contains("\"time\":1796012952.512949");
        assertPlainTimes(ok(api.get(base + "/events", u.token()), 200).text());
        assertPlainTimes(ok(api.get(base + "/streams", u.token()), 200).text());
        ApiClient.Reply access = ok(api.post(base + "/accesses", u.token(), Map.of("type", "app", "name", "a",
                "permissions", List.of(Map.of("streamId", "s", "level", "read")), "expireAfter", 3600.5)), 201);
        assertPlainTimes(access.text());
        assertThat(access.text()).contains("\"expires\":");
        assertPlainTimes(ok(api.get(base + "/access-info", u.token()), 200).text());
        String appToken = access.body().get("access").get("token").asText();
        assertPlainTimes(ok(api.post(base + "/webhooks", appToken, Map.of("url", "http://127.0.0.1:9/x")), 201)
                .text());
        // Errors too, whoever answers them.
        assertPlainTimes(api.get(base + "/events/no-such-event", u.token()).text());
        assertPlainTimes(api.get("/a/b/c/d/e/f", null).text());
        assertPlainTimes(api.get("/someone/events/..%2F..", null).text());
    }
}
