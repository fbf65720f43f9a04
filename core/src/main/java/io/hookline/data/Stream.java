package io.hookline.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.storage.Tracking;

/** A stream as stored. */
public record Stream(
        String id,
        String name,
        String parentId,
        JsonNode clientData,
        boolean trashed,
        Tracking tracking) {

    /** The stream moved to the trash by {@code accessId} at {@code now}. */
    public Stream trashedBy(String accessId, long now) {
        return new Stream(id, name, parentId, clientData, true, tracking.modifiedBy(accessId, now));
    }

    /** The stream as a client's update leaves it, changed by {@code accessId} at {@code now}. */
    public Stream updatedBy(String newName, String newParentId, JsonNode newClientData, boolean newTrashed,
                            String accessId, long now) {
        return new Stream(id, newName, newParentId, newClientData, newTrashed, tracking.modifiedBy(accessId, now));
    }
}
