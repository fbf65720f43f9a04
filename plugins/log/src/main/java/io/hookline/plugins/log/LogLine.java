package io.hookline.plugins.log;

import io.hookline.notifier.Notification;

/**
 * One notification as one logfmt-style line:
 * {@code webhook=<id> user=<username> label=<url> messages=eventsChanged,streamsChanged delivery=<id> attempt=<n>}.
 * A value with spaces, quotes, {@code =} or control characters is quoted with {@code "}, and {@code "}, {@code \} and
 * line breaks in it escaped, so that a label can never forge a second line or another field.
 */
final class LogLine {
    private LogLine() {
    }

    static String of(Notification n) {
        return "webhook=" + value(n.webhookId())
                + " user=" + value(n.username())
                + " label=" + value(n.url())
                + " messages=" + value(String.join(",", n.messages()))
                + " delivery=" + value(n.deliveryId())
                + " attempt=" + n.attempt();
    }

    static String value(String s) {
        if (s == null) return "\"\"";
        boolean plain = !s.isEmpty();
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f;
        }
        if (plain) return s;
        StringBuilder out = new StringBuilder(s.length() + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
