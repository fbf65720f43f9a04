package io.hookline.webhooks;

import io.hookline.auth.AccessStore;
import io.hookline.auth.AccessesService;
import io.hookline.delivery.Deliveries;
import io.hookline.storage.WriteTx;

import java.util.ArrayList;
import java.util.List;

/**
 * A webhook belongs to the access that created it: deleting an access deletes its webhooks, and the webhooks of the
 * accesses it created. Runs inside the transaction that deletes the accesses; delivery forgets them at once.
 */
public final class AccessDeletionCascade implements AccessesService.AccessDeletionListener {
    private final Deliveries deliveries;

    public AccessDeletionCascade(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void deleting(WriteTx tx, long userId, List<String> accessIds) {
        List<String> owners = new ArrayList<>(accessIds);
        for (String id : accessIds) {
            AccessStore.createdBy(tx.handle(), userId, id).forEach(a -> owners.add(a.id()));
        }
        WebhookStore.deleteOfAccesses(tx, userId, owners).forEach(deliveries::forget);
    }
}
