package io.hookline.delivery;

import io.hookline.storage.Touch;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Map;

/**
 * Which scoped webhooks of a user a write concerns, and with which of their scope keys: the webhooks API knows the
 * scopes, the outbox asks. Called inside the write transaction.
 */
public interface ScopedChanges {
    /**
     * The matched scope keys of each of the user's scoped webhooks (active or not: an inactive one catches up when
     * made active again) that {@code touched} concerns, leaving out those whose access has expired at {@code now}.
     */
    Map<String, List<String>> keysByWebhook(Handle h, long userId, List<Touch> touched, long now);
}
