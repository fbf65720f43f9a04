package io.hookline.plugins.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hookline.notifier.Notification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogLineTest {
    @Test
    void oneFieldPerFact() {
        assertThat(LogLine.of(notification("ops-alerts", List.of("eventsChanged", "streamsChanged"), 2)))
                .isEqualTo("webhook=wh1 user=alice label=ops-alerts messages=eventsChanged,streamsChanged "
                        + "delivery=msg_1 attempt=2");
    }

    @Test
    void labelsThatCouldForgeFieldsOrLinesAreQuoted() {
        assertThat(LogLine.of(notification("a label\nwebhook=evil", List.of("test"), 1)))
                .contains("label=\"a label\\nwebhook=evil\" messages=test")
                .doesNotContain("\n");
        assertThat(LogLine.value("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
        assertThat(LogLine.value("back\\slash")).isEqualTo("\"back\\\\slash\"");
        assertThat(LogLine.value("")).isEqualTo("\"\"");
        assertThat(LogLine.value("bell\u0007")).isEqualTo("\"bell\\u0007\"");
        assertThat(LogLine.value("https://example.com/hook?a=b")).isEqualTo("\"https://example.com/hook?a=b\"");
    }

    private static Notification notification(String url, List<String> messages, int attempt) {
        return new Notification("wh1", "msg_1", "alice", url, JsonNodeFactory.instance.objectNode(), messages,
                new byte[0], attempt, Instant.EPOCH);
    }
}
