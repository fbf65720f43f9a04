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
     * The matched scope keys of each scoped webhook (active or not: an inactive one catches up when made active
     * again) of these users that their touched items concern, leaving out those whose access has expired at
     * {@code now}. Called once per transaction, with every user it touched something of.
     */
    Map<String, List<String>> keysByWebhook(Handle h, Map<Long, List<Touch>> touchedByUser, long now);
}
