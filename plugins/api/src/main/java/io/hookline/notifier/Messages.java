package io.hookline.notifier;

/**
 * The messages a notification carries in {@link Notification#messages()}, as Pryv names them. A notifier that
 * words messages for people (Slack) or routes on them compares against these.
 */
public final class Messages {
    /** Events of the account were created, changed, trashed or deleted. */
    public static final String EVENTS_CHANGED = "eventsChanged";
    /** Streams of the account were created, changed, trashed or deleted. */
    public static final String STREAMS_CHANGED = "streamsChanged";
    /** Accesses of the account were created or deleted. */
    public static final String ACCESSES_CHANGED = "accessesChanged";
    /** The server (re)started: changes may have been missed meanwhile, so a receiver should sync. */
    public static final String SERVICE_BOOT = "webhooksServiceBoot";
    /** Sent on request ({@code POST /{username}/webhooks/{id}/test}); nothing changed. */
    public static final String TEST = "test";

    private Messages() {
    }
}
