package io.hookline.storage;

/** What kind of data a write changed; each is one notification message name. */
public enum Change {
    EVENTS("eventsChanged"), STREAMS("streamsChanged"), ACCESSES("accessesChanged");

    private final String message;

    Change(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
