package io.hookline.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.ChangeClock;

import java.util.List;
import java.util.Map;

/** Renders streams and events as the API shows them (float-second times, Pryv field names). */
public final class DataJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DataJson() {
    }

    public static ObjectNode event(Event e) {
        ObjectNode o = F.objectNode();
        o.put("id", e.id());
        ArrayNode streams = o.putArray("streamIds");
        e.streamIds().forEach(streams::add);
        o.put("streamId", e.streamIds().get(0));
        o.put("type", e.type());
        if (e.content() != null) o.set("content", e.content());
        o.put("time", ChangeClock.roundSeconds(e.time()));
        if (e.duration() != null) o.put("duration", e.duration());
        if (e.description() != null) o.put("description", e.description());
        if (e.clientData() != null) o.set("clientData", e.clientData());
        o.putArray("tags");
        o.put("trashed", e.trashed());
        if (e.attachments() != null && !e.attachments().isEmpty()) o.set("attachments", e.attachments());
        e.tracking().render(o);
        return o;
    }

    public static ObjectNode stream(Stream s, List<ObjectNode> children) {
        ObjectNode o = F.objectNode();
        o.put("id", s.id());
        o.put("name", s.name());
        if (s.parentId() == null) o.putNull("parentId"); else o.put("parentId", s.parentId());
        if (s.clientData() != null) o.set("clientData", s.clientData());
        o.put("trashed", s.trashed());
        s.tracking().render(o);
        ArrayNode arr = o.putArray("children");
        children.forEach(arr::add);
        return o;
    }

    /** {@code [{id, deleted}]} for a sync's deletions. */
    public static ArrayNode deletions(Map<String, Long> deletedById) {
        ArrayNode arr = F.arrayNode();
        deletedById.forEach((id, at) -> arr.addObject().put("id", id).put("deleted", ChangeClock.toSeconds(at)));
        return arr;
    }

    public static ObjectNode single(String key, ObjectNode item) {
        ObjectNode o = F.objectNode();
        o.set(key, item);
        return o;
    }

    public static ObjectNode deletion(String key, String id) {
        ObjectNode o = F.objectNode();
        o.putObject(key).put("id", id);
        return o;
    }
}
