package io.hookline.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** An event as stored. {@code time} and {@code duration} are float seconds; tracking times are microseconds. */
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
        long created,
        String createdBy,
        long modified,
        String modifiedBy) {
}
