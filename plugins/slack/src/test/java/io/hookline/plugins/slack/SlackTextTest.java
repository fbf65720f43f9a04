package io.hookline.plugins.slack;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SlackTextTest {
    @Test
    void namesTheUserAndWhatChangedInPlainWords() {
        assertThat(SlackText.of("alice", List.of("eventsChanged", "streamsChanged")))
                .isEqualTo("New data for alice: events changed, streams changed.");
        assertThat(SlackText.of("bob-01", List.of("accessesChanged")))
                .isEqualTo("New data for bob-01: accesses changed.");
    }

    @Test
    void aRestartAndATestHaveTheirOwnWords() {
        assertThat(SlackText.of("alice", List.of("webhooksServiceBoot")))
                .isEqualTo("The notification service restarted: changes for alice may have been missed, "
                        + "check for anything new.");
        assertThat(SlackText.of("alice", List.of("test"))).isEqualTo("Test notification for alice.");
        assertThat(SlackText.of("alice", List.of("webhooksServiceBoot", "eventsChanged")))
                .startsWith("New data for alice: events changed. The notification service restarted");
    }

    @Test
    void unknownMessagesAreShownEscaped() {
        assertThat(SlackText.of("alice", List.of("<!channel> & co")))
                .isEqualTo("New data for alice: &lt;!channel&gt; &amp; co.");
        assertThat(SlackText.of("alice", List.of())).isEqualTo("Notification for alice.");
    }
}
