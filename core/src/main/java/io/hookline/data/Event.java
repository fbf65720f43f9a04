package io.hookline.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hookline.storage.Tracking;

import java.util.List;

/**
 * An event as stored. {@code time} and {@code duration} are float seconds; {@code attachments} describes its files
 * ({@code [{id, fileName, type, size, readToken, integrity}]}, null: none). Built from a request by
 * {@link EventFields} and from a row by {@link EventStore}; changed only through the named steps below.
 */
public record Event(
        long seq,
        String id,
        List<String> streamIds,
        String type,
        JsonNode content,
        double time,
        Double duration,
        String description,
        JsonNode clientData,
        boolean trashed,
        Tracking tracking,
        ArrayNode attachments) {

    /** The event moved to the trash by {@code accessId} at {@code now}. */
    public Event trashedBy(String accessId, long now) {
        return new Event(seq, id, streamIds, type, content, time, duration, description, clientData, true,
                tracking.modifiedBy(accessId, now), attachments);
    }

    /** The event attached to other streams (its own were deleted) by {@code accessId} at {@code now}. */
    public Event movedTo(List<String> newStreamIds, String accessId, long now) {
        return new Event(seq, id, List.copyOf(newStreamIds), type, content, time, duration, description, clientData,
                trashed, tracking.modifiedBy(accessId, now), attachments);
    }

    /** A new event's files, before it is stored (null: none). */
    public Event withFiles(ArrayNode files) {
        return new Event(seq, id, streamIds, type, content, time, duration, description, clientData, trashed,
                tracking, files);
    }

    /** The event with other files (null: none), changed by {@code accessId} at {@code now}. */
    public Event withAttachments(ArrayNode files, String accessId, long now) {
        return new Event(seq, id, streamIds, type, content, time, duration, description, clientData, trashed,
                tracking.modifiedBy(accessId, now), files);
    }
}
