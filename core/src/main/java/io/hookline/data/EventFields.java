package io.hookline.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.edge.Params;
import io.hookline.storage.Tracking;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The event fields a client may set, read from {@code events.create} params or an {@code events.update} patch.
 * Absent fields are left as they are; {@code null} clears a nullable field.
 */
final class EventFields {
    private static final Pattern TYPE = Pattern.compile("^[a-z0-9-]+/[a-z0-9-]+$");

    List<String> streamIds;
    String type;
    boolean hasContent;
    JsonNode content;
    Double time;
    boolean hasDuration;
    Double duration;
    boolean hasDescription;
    String description;
    boolean hasClientData;
    ObjectNode clientData;
    Boolean trashed;

    static EventFields read(Params p) {
        EventFields f = new EventFields();
        Optional<List<String>> ids = p.strings("streamIds");
        Optional<String> single = p.string("streamId");
        if (ids.isPresent() && single.isPresent() && !(ids.get().size() > 0 && ids.get().get(0).equals(single.get()))) {
            p.problem("streamId", "must be the first of streamIds when both are given");
        }
        if (ids.isPresent()) {
            if (ids.get().isEmpty()) p.problem("streamIds", "must name at least one stream");
            f.streamIds = List.copyOf(new LinkedHashSet<>(ids.get()));
        } else if (single.isPresent()) {
            f.streamIds = List.of(single.get());
        }
        f.type = p.string("type").orElse(null);
        if (f.type != null && (f.type.length() > 200 || !TYPE.matcher(f.type).matches())) {
            p.problem("type", "must look like \"class/format\" (lowercase letters, digits, '-'), e.g. \"count/steps\"");
        }
        if (p.has("content")) {
            f.hasContent = true;
            f.content = p.json("content").orElse(null);
            if (f.content != null && f.content.isNull()) f.content = null;
        }
        f.time = p.time("time").orElse(null);
        if (p.has("duration")) {
            f.hasDuration = true;
            f.duration = p.isNull("duration") ? null : p.seconds("duration").orElse(null);
        }
        if (p.has("description")) {
            f.hasDescription = true;
            f.description = p.isNull("description") ? null : p.string("description").orElse(null);
        }
        if (p.has("clientData")) {
            f.hasClientData = true;
            f.clientData = p.isNull("clientData") ? null : p.object("clientData").orElse(null);
        }
        f.trashed = p.bool("trashed").orElse(null);
        // Pryv has retired tags; they are accepted for older clients and always read back as [].
        p.strings("tags");
        return f;
    }

    /** A new event of these fields (untrashed unless asked), not stored yet. */
    Event newEvent(String id, double time, Tracking tracking) {
        return new Event(0, id, streamIds, type, content, time, duration, description, clientData,
                Boolean.TRUE.equals(trashed), tracking, null);
    }

    Event applyTo(Event e, long now, String by) {
        return new Event(
                e.seq(),
                e.id(),
                streamIds != null ? streamIds : e.streamIds(),
                type != null ? type : e.type(),
                hasContent ? content : e.content(),
                time != null ? time : e.time(),
                hasDuration ? duration : e.duration(),
                hasDescription ? description : e.description(),
                hasClientData ? clientData : e.clientData(),
                trashed != null ? trashed : e.trashed(),
                e.tracking().modifiedBy(by, now), e.attachments());
    }
}
