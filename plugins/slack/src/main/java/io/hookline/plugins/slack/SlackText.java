package io.hookline.plugins.slack;

import io.hookline.notifier.Messages;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The plain-words text of a Slack message: who, and what changed. */
final class SlackText {
    private static final Map<String, String> CHANGES = Map.of(
            Messages.EVENTS_CHANGED, "events changed",
            Messages.STREAMS_CHANGED, "streams changed",
            Messages.ACCESSES_CHANGED, "accesses changed");

    private SlackText() {
    }

    /**
     * For instance {@code New data for alice: events changed, streams changed}. A service restart and a
     * {@code webhooks.test} call get sentences of their own; unknown message names are shown as they are.
     */
    static String of(String username, List<String> messages) {
        String user = escape(username);
        Set<String> changes = new LinkedHashSet<>();
        boolean boot = false;
        boolean test = false;
        for (String m : messages) {
            if (Messages.SERVICE_BOOT.equals(m)) boot = true;
            else if (Messages.TEST.equals(m)) test = true;
            else changes.add(CHANGES.getOrDefault(m, escape(m)));
        }
        List<String> sentences = new ArrayList<>();
        if (!changes.isEmpty()) sentences.add("New data for " + user + ": " + String.join(", ", changes) + ".");
        if (boot) {
            sentences.add("The notification service restarted: changes for " + user + " may have been missed, "
                    + "check for anything new.");
        }
        if (test) sentences.add("Test notification for " + user + ".");
        if (sentences.isEmpty()) sentences.add("Notification for " + user + ".");
        return String.join(" ", sentences);
    }

    /** Slack's control characters in text: &, < and > must be escaped (https://api.slack.com/reference/surfaces/formatting). */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
