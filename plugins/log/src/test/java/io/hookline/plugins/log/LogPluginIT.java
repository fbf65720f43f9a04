package io.hookline.plugins.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.InvalidSettingsException;
import io.hookline.notifier.Notification;
import io.hookline.notifier.testkit.NotifierTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packaged log jar, loaded as the server loads it, writing through the same slf4j/logback as the host. */
class LogPluginIT {
    private static final Path JAR = Path.of(System.getProperty("hookline.plugin.jar"));

    private final Logger notifications = (Logger) LoggerFactory.getLogger("hookline.notifications");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level configuredLevel;

    @BeforeEach
    void capture() {
        configuredLevel = notifications.getLevel();
        lines.start();
        notifications.addAppender(lines);
    }

    @AfterEach
    void release() {
        notifications.detachAppender(lines);
        notifications.setLevel(configuredLevel);
    }

    @Test
    void writesOneStructuredLinePerNotification() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.builder(JAR).username("alice").webhookId("wh-42").build()) {
            assertThat(kit.types()).containsExactly("log");
            Notification n = kit.notification("ops-alerts", null, "eventsChanged", "streamsChanged");

            DeliveryOutcome outcome = kit.deliver(n);

            assertThat(outcome).isEqualTo(DeliveryOutcome.delivered(200));
            assertThat(lines.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.INFO);
                assertThat(e.getFormattedMessage()).isEqualTo("webhook=wh-42 user=alice label=ops-alerts "
                        + "messages=eventsChanged,streamsChanged delivery=" + n.deliveryId() + " attempt=1");
            });
        }
    }

    @Test
    void theUrlIsALabelNotANetworkTarget() {
        try (NotifierTestKit kit = NotifierTestKit.load(JAR)) {
            assertThat(kit.notifier().urlIsNetworkTarget()).isFalse();
        }
    }

    @Test
    void aSilencedLoggerIsStillADelivery() throws Exception {
        notifications.setLevel(Level.OFF);
        try (NotifierTestKit kit = NotifierTestKit.load(JAR)) {
            assertThat(kit.deliver("ops", null, "test")).isEqualTo(DeliveryOutcome.delivered(200));
            assertThat(lines.list).isEmpty();
        }
    }

    @Test
    void takesNoSettings() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.load(JAR)) {
            assertThat(kit.createSettings("ops", null)).isEmpty();
            assertThatThrownBy(() -> kit.createSettings("ops", kit.object("{\"level\": \"debug\"}")))
                    .isInstanceOf(InvalidSettingsException.class);
        }
    }

    @Test
    void theNotifierComesFromTheJarAlone() {
        // The module's classes are kept off this test's class path (parent pom, failsafe), as off the server's.
        assertThatThrownBy(() -> Class.forName("io.hookline.plugins.log.LogNotifier"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
