package io.hookline.notifier.testkit;

import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.InvalidSettingsException;
import io.hookline.notifier.Notification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kit itself, on small plugins compiled by the test (the template build covers a Maven-built one). */
class NotifierTestKitTest {
    private static final String PROBE = """
            package probe;

            import io.hookline.notifier.*;
            import java.util.Map;

            @org.pf4j.Extension
            public class Probe implements Notifier {
                private NotifierContext context;

                public String type() { return "probe"; }

                public void init(NotifierContext context) { this.context = context; }

                public DeliveryOutcome deliver(Notification n) throws Exception {
                    if (n.url().equals("hang:")) new java.util.concurrent.CountDownLatch(1).await(); // hangs until interrupted
                    var response = context.http().post(n.url(), Map.of(
                            "Content-Type", "application/json",
                            "X-Config", context.config().toString(),
                            "X-Delivery", n.deliveryId(),
                            "X-User", n.username(),
                            "X-Attempt", String.valueOf(n.attempt()),
                            "X-Now", String.valueOf(context.clock().millis())), n.body());
                    return HttpOutcomes.classify(response, context.clock().instant());
                }
            }
            """;

    @TempDir
    static Path dir;
    static Path probeJar;

    @BeforeAll
    static void buildProbe() throws IOException {
        probeJar = PluginJars.build(dir, "probe-plugin", "probe.Probe", PROBE);
    }

    @Test
    void loadsAJarAsTheServerDoesAndDelivers() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-01-02T03:04:05.678Z"));
        try (NotifierTestKit kit = NotifierTestKit.builder(probeJar).clock(clock).username("alice")
                .pluginConfig("probe-plugin", "{\"level\": 3}").build();
             LoopbackReceiver receiver = LoopbackReceiver.start()) {
            assertThat(kit.types()).containsExactly("probe");
            assertThat(kit.plugins()).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo("probe-plugin");
                assertThat(p.version()).isEqualTo("1.2.3");
                assertThat(p.state()).isEqualTo("STARTED");
            });
            // Loaded by PF4J's plugin class loader, not the test's.
            assertThat(kit.notifier().getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());

            DeliveryOutcome outcome = kit.deliver(receiver.url(), null, "eventsChanged", "streamsChanged");

            assertThat(outcome).isEqualTo(DeliveryOutcome.delivered(200));
            var request = receiver.lastRequest();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("user-agent")).isEqualTo(TestOutboundHttp.USER_AGENT);
            assertThat(request.header("x-config")).isEqualTo("{\"level\":3}");
            assertThat(request.header("x-user")).isEqualTo("alice");
            assertThat(request.header("x-delivery")).matches("msg_[A-Za-z0-9]{24}");
            assertThat(request.header("x-now")).isEqualTo(String.valueOf(clock.millis()));
            assertThat(request.bodyText()).isEqualTo(
                    "{\"messages\":[\"eventsChanged\",\"streamsChanged\"],"
                            + "\"meta\":{\"apiVersion\":\"test\",\"serverTime\":1767323045.678,\"serial\":\"test\"}}");
        }
    }

    @Test
    void aRetryKeepsTheDeliveryIdAndCountsTheAttempt() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.load(probeJar); LoopbackReceiver receiver = LoopbackReceiver.start()) {
            receiver.enqueue(LoopbackReceiver.Answer.of(503, "busy").withHeader("Retry-After", "7"));
            Notification first = kit.notification(receiver.url(), null, "eventsChanged");

            assertThat(kit.deliver(first)).isEqualTo(DeliveryOutcome.retryAfter(503, "HTTP 503", Duration.ofSeconds(7)));
            kit.clock().advance(Duration.ofSeconds(7));
            Notification second = kit.retryOf(first);
            assertThat(kit.deliver(second)).isInstanceOf(DeliveryOutcome.Delivered.class);

            assertThat(second.deliveryId()).isEqualTo(first.deliveryId());
            assertThat(second.attempt()).isEqualTo(2);
            assertThat(second.attemptTime()).isEqualTo(first.attemptTime().plusSeconds(7));
            assertThat(receiver.requests()).extracting(r -> r.header("x-attempt")).containsExactly("1", "2");
        }
    }

    @Test
    void aPluginWithoutSettingsRejectsSomeByDefault() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.load(probeJar)) {
            assertThat(kit.createSettings("http://example.com/", null)).isEmpty();
            assertThatThrownBy(() -> kit.createSettings("http://example.com/", kit.object("{\"x\": 1}")))
                    .isInstanceOf(InvalidSettingsException.class);
        }
    }

    @Test
    void aDeliveryThatHangsFailsWithinTheTimeout() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.builder(probeJar).deliveryTimeout(Duration.ofMillis(300)).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> kit.deliver("hang:", null, "test")).isInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void noAnswerIsAnIOException() throws Exception {
        int closedPort;
        try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
            closedPort = Integer.parseInt(receiver.url().replaceAll(".*:(\\d+)/.*", "$1"));
        }
        try (NotifierTestKit kit = NotifierTestKit.load(probeJar)) {
            assertThatThrownBy(() -> kit.deliver("http://127.0.0.1:" + closedPort + "/hook", null, "test"))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aJarBundlingServerClassesIsRefused() throws IOException {
        Path dirty = PluginJars.build(dir, "dirty-plugin", "probe.Probe", PROBE, "org/slf4j/Logger.class");

        assertThatThrownBy(() -> NotifierTestKit.load(dirty))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org/slf4j/Logger.class");
    }

    @Test
    void aJarWithoutExtensionsIsExplained() throws IOException {
        Path empty = PluginJars.build(dir, "empty-plugin", "probe.Nothing", "package probe; public class Nothing {}");

        assertThatThrownBy(() -> NotifierTestKit.load(empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@org.pf4j.Extension");
    }

    @Test
    void theTemporaryPluginsDirectoryIsRemovedOnClose() {
        NotifierTestKit kit = NotifierTestKit.load(probeJar);
        Path plugins = kit.pluginsDirectory();
        assertThat(plugins.resolve(probeJar.getFileName())).exists();

        kit.close();

        assertThat(Files.exists(plugins)).isFalse();
    }
}
