package io.hookline.data;

import com.fasterxml.jackson.databind.JsonNode;

/** A stream as stored. Times are microseconds since the epoch. */
public record Stream(
        String id,
        String name,
        String parentId,
        JsonNode clientData,
        boolean trashed,
        long created,
        String createdBy,
        long modified,
        String modifiedBy) {
}
