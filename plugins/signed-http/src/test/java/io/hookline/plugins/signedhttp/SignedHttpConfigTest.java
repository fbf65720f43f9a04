package io.hookline.plugins.signedhttp;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignedHttpConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOverlapDefaultsTo24Hours() throws Exception {
        assertThat(read("{}").rotationOverlap()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void theOverlapReadsSecondsIso8601OrWords() throws Exception {
        assertThat(read("{\"rotationOverlap\": 3600}").rotationOverlap()).isEqualTo(Duration.ofHours(1));
        assertThat(read("{\"rotationOverlap\": \"90\"}").rotationOverlap()).isEqualTo(Duration.ofSeconds(90));
        assertThat(read("{\"rotationOverlap\": 1.5}").rotationOverlap()).isEqualTo(Duration.ofMillis(1500));
        assertThat(read("{\"rotationOverlap\": \"PT36H\"}").rotationOverlap()).isEqualTo(Duration.ofHours(36));
        assertThat(read("{\"rotationOverlap\": \"P2D\"}").rotationOverlap()).isEqualTo(Duration.ofDays(2));
        assertThat(read("{\"rotationOverlap\": \"12 hours\"}").rotationOverlap()).isEqualTo(Duration.ofHours(12));
        assertThat(read("{\"rotationOverlap\": \"30m\"}").rotationOverlap()).isEqualTo(Duration.ofMinutes(30));
        assertThat(read("{\"rotationOverlap\": 0}").rotationOverlap()).isEqualTo(Duration.ZERO);
    }

    @Test
    void badValuesAndUnknownKeysAreRefused() {
        assertThatThrownBy(() -> read("{\"rotationOverlap\": -5}")).hasMessageContaining("negative");
        assertThatThrownBy(() -> read("{\"rotationOverlap\": \"tomorrow\"}")).hasMessageContaining("tomorrow");
        assertThatThrownBy(() -> read("{\"rotationOverlap\": \"PT\"}")).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> read("{\"rotationOverlap\": true}")).hasMessageContaining("rotationOverlap");
        assertThatThrownBy(() -> read("{\"rotationOverlapp\": 60}")).hasMessageContaining("rotationOverlapp");
    }

    private static SignedHttpConfig read(String json) throws Exception {
        return JSON.treeToValue(JSON.readTree(json), SignedHttpConfig.class).checked();
    }
}
