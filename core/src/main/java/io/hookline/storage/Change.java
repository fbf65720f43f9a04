package io.hookline.storage;

import io.hookline.notifier.Messages;

/** What kind of data a write changed; each is one notification message name. */
public enum Change {
    EVENTS(Messages.EVENTS_CHANGED), STREAMS(Messages.STREAMS_CHANGED), ACCESSES(Messages.ACCESSES_CHANGED);

    private final String message;

    Change(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
