package io.hookline.cluster;

import io.hookline.delivery.DeliveryStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a signal carries: its sender and the due webhooks, in payloads PostgreSQL accepts (under 8000 bytes). */
class WorkSignalsTest {
    @Test
    void manyWebhooksGoInSeveralPayloadsThatReadBackWhole() {
        Map<String, Long> due = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) due.put("wh_" + "x".repeat(20) + i, 1_764_230_400_000_000L + i);
        List<String> payloads = WorkSignals.payloads("node-1", due);
        assertThat(payloads).hasSizeGreaterThan(1);
        List<DeliveryStore.Due> read = new ArrayList<>();
        for (String p : payloads) {
            assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThan(8000);
            WorkSignals.Signal s = WorkSignals.Signal.parse(p);
            assertThat(s.node()).isEqualTo("node-1");
            read.addAll(s.due());
        }
        assertThat(read).hasSize(1000);
        assertThat(read.get(999)).isEqualTo(new DeliveryStore.Due("wh_" + "x".repeat(20) + 999,
                1_764_230_400_000_999L));
    }

    @Test
    void nothingDueSendsNothingAndAStrangeLineIsSkipped() {
        assertThat(WorkSignals.payloads("n", Map.of())).isEmpty();
        assertThat(WorkSignals.Signal.parse("n\nwh_1 12\nnonsense\nwh_2 x").due())
                .containsExactly(new DeliveryStore.Due("wh_1", 12));
    }
}
