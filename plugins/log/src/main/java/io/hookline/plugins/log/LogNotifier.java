package io.hookline.plugins.log;

import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.Notification;
import io.hookline.notifier.Notifier;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Type {@code log}: writes each notification as one INFO line to the logger {@value #LOGGER}, through the service's
 * logging, so operators route it with {@code config.yml}'s {@code logging} block (its level, or an appender of its
 * own). The line is described in {@link LogLine}. The webhook's url is only a label shown in the line: nothing is
 * sent over the network. Takes no settings.
 *
 * <p>Always delivered, with status 200 meaning "accepted by the log" (so {@code lastRun.status} reads as a success,
 * like an HTTP target's), even when the logger is switched off: an operator silencing the line is not a failure.
 */
@Extension
public class LogNotifier implements Notifier {
    /** The logger name, stable: operators configure it. */
    public static final String LOGGER = "hookline.notifications";
    /** The status recorded for every delivery. */
    public static final int ACCEPTED = 200;

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    @Override
    public String type() {
        return "log";
    }

    @Override
    public boolean urlIsNetworkTarget() {
        return false;
    }

    @Override
    public DeliveryOutcome deliver(Notification n) {
        LOG.info(LogLine.of(n));
        return DeliveryOutcome.delivered(ACCEPTED);
    }
}
