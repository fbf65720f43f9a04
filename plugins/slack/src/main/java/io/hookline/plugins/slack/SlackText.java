package io.hookline.plugins.slack;

import io.hookline.notifier.PlainWords;

import java.util.List;

/** The plain-words text of a Slack message: who, and what changed ({@link PlainWords}, escaped for Slack). */
final class SlackText {
    private SlackText() {
    }

    /** For instance {@code New data for alice: events changed, streams changed.} */
    static String of(String username, List<String> messages) {
        return PlainWords.of(username, messages, SlackText::escape);
    }

    /** Slack's control characters in text: &, < and > must be escaped (https://api.slack.com/reference/surfaces/formatting). */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
