package io.hookline.notifier;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A notification said in plain words, for notifiers that write to people (chat, e-mail): who, and what changed.
 * For instance {@code New data for alice: events changed, streams changed.}
 */
public final class PlainWords {
    private static final Map<String, String> CHANGES = Map.of(
            Messages.EVENTS_CHANGED, "events changed",
            Messages.STREAMS_CHANGED, "streams changed",
            Messages.ACCESSES_CHANGED, "accesses changed");

    private PlainWords() {
    }

    /**
     * The sentences for {@code messages} of {@code username}. A service restart ({@code webhooksServiceBoot}) and a
     * {@code test} get sentences of their own; unknown message names are shown as they are.
     *
     * @param escape applied to every value that comes from outside (the username, unknown message names), for the
     *               target's markup; {@code UnaryOperator.identity()} for plain text
     */
    public static String of(String username, List<String> messages, UnaryOperator<String> escape) {
        String user = escape.apply(username);
        Set<String> changes = new LinkedHashSet<>();
        boolean boot = false;
        boolean test = false;
        for (String m : messages) {
            if (Messages.SERVICE_BOOT.equals(m)) boot = true;
            else if (Messages.TEST.equals(m)) test = true;
            else changes.add(CHANGES.getOrDefault(m, escape.apply(m)));
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
}
