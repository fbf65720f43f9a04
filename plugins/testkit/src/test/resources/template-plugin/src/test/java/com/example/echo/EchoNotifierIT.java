package com.example.echo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.testkit.LoopbackReceiver;
import io.hookline.notifier.testkit.NotifierTestKit;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class EchoNotifierIT {
    private static final Path JAR = Path.of(System.getProperty("hookline.plugin.jar"));

    @Test
    void deliversToAReceiver() throws Exception {
        try (NotifierTestKit kit = NotifierTestKit.load(JAR);
             LoopbackReceiver receiver = LoopbackReceiver.start()) {
            ObjectNode settings = kit.createSettings(receiver.url(), kit.object("{\"tag\": \"demo\"}"));

            DeliveryOutcome outcome = kit.deliver(receiver.url(), settings, "eventsChanged");

            assertInstanceOf(DeliveryOutcome.Delivered.class, outcome);
            assertEquals("demo", receiver.lastRequest().header("X-Echo-Tag"));
            assertEquals("eventsChanged", receiver.lastRequest().header("X-Echo-Messages"));
        }
    }
}
