package io.hookline.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.auth.StreamTree;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.Caller;
import io.hookline.auth.StreamAccess;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.auth.Methods;
import io.hookline.edge.Params;
import io.hookline.storage.Change;
import io.hookline.storage.ChangeClock;
import io.hookline.storage.Database;
import io.hookline.storage.Ids;
import io.hookline.storage.Tracking;
import io.hookline.storage.WriteTx;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The events methods: create, get (with sync by {@code modifiedSince}), getOne, update, trash then delete. */
public final class EventsService {
    static final int DEFAULT_LIMIT = 20;

    private final Database db;
    private final int maxResults;
    private final AttachmentFiles files;

    public EventsService(Database db, int maxResults, AttachmentFiles files) {
        this.files = files;
        this.db = db;
        this.maxResults = maxResults;
    }

    public void register(Methods methods) {
        methods.register("events.get", this::get)
                .register("events.getOne", this::getOne)
                .register("events.create", 201, this::create)
                .register("events.update", this::update)
                .register("events.delete", this::delete)
                .register("events.deleteAttachment", this::deleteAttachment);
    }

    ObjectNode create(Caller caller, Params p) {
        return create(caller, p, null);
    }

    /** {@code events.create}, with the description of files already stored (multipart creates). */
    ObjectNode create(Caller caller, Params p, ArrayNode attachments) {
        String id = p.string("id").orElse(null);
        if (id != null) ItemIds.checkEventId(id);
        EventFields f = EventFields.read(p);
        if (f.streamIds == null) p.problem("streamIds", "is required");
        if (f.type == null && p.ok()) p.problem("type", "is required");
        p.done();
        // No handle taken up front: the insert can then go with the group's others (see EventStore.insert).
        Event created = db.write(caller.userId(), tx -> {
            StreamTree tree = StreamTree.of(tx, caller.userId());
            StreamAccess access = tree.accessOf(caller.access());
            for (String s : f.streamIds) {
                if (!access.canCreateEvents(s)) throw forbiddenOn(s);
            }
            checkStreamsExist(tree, f.streamIds);
            String eventId = id != null ? id : Ids.newId();
            if (id != null && EventStore.idTaken(tx.handle(), caller.userId(), id)) {
                throw new ApiException(ErrorId.ITEM_ALREADY_EXISTS, "An event with id \"" + id + "\" already exists",
                        Map.of("id", id));
            }
            String by = caller.access().id();
            double time = f.time != null ? f.time : ChangeClock.toSeconds(tx.now()).doubleValue();
            Event e = f.newEvent(eventId, time, Tracking.createdBy(by, tx.now())).withFiles(attachments);
            EventStore.insert(tx, caller.userId(), e);
            tx.changed(caller.userId(), Change.EVENTS, e.streamIds(), e.type());
            return e;
        });
        return DataJson.single("event", DataJson.event(created));
    }

    /** Adds the description of files already stored to an event the caller may contribute to. */
    ObjectNode addAttachments(Caller caller, String id, ArrayNode more) {
        Event updated = db.write(caller.userId(), tx -> {
            Event e = contributable(tx, caller, id);
            ArrayNode all = e.attachments() == null ? JsonNodeFactory.instance.arrayNode() : e.attachments().deepCopy();
            all.addAll(more);
            return save(tx, caller, e, all);
        });
        return DataJson.single("event", DataJson.event(updated));
    }

    /** {@code events.deleteAttachment}: {@code {id, fileId}}; the file is removed once the change is committed. */
    ObjectNode deleteAttachment(Caller caller, Params p) {
        String id = p.requiredString("id");
        String fileId = p.requiredString("fileId");
        p.done();
        Event updated = db.write(caller.userId(), tx -> {
            Event e = contributable(tx, caller, id);
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            boolean found = false;
            if (e.attachments() != null) {
                for (JsonNode a : e.attachments()) {
                    if (a.path("id").asText().equals(fileId)) found = true;
                    else kept.add(a);
                }
            }
            if (!found) throw ApiException.unknownResource("attachment", fileId);
            files.deleteAfterCommit(tx, caller.userId(), fileId);
            return save(tx, caller, e, kept.isEmpty() ? null : kept);
        });
        return DataJson.single("event", DataJson.event(updated));
    }

    private Event contributable(WriteTx tx, Caller caller, String id) {
        Event e = EventStore.find(tx.handle(), caller.userId(), id)
                .orElseThrow(() -> ApiException.unknownResource("event", id));
        checkContribute(writableAccess(tx, caller), e.streamIds());
        return e;
    }

    /** Saves a change of an event's files: a change of the event ({@code modified}, {@code eventsChanged}). */
    private static Event save(WriteTx tx, Caller caller, Event e, ArrayNode attachments) {
        Event next = e.withAttachments(attachments, caller.access().id(), tx.now());
        EventStore.update(tx.handle(), caller.userId(), next, false);
        tx.changed(caller.userId(), Change.EVENTS, e.streamIds(), e.type());
        return next;
    }

    /** The event, if the caller may read it. */
    Event readable(Caller caller, String id) {
        return db.read(h -> {
            Event found = EventStore.find(h, caller.userId(), id)
                    .orElseThrow(() -> ApiException.unknownResource("event", id));
            StreamAccess access = access(h, caller);
            if (found.streamIds().stream().noneMatch(access::canReadEvents)) {
                throw ApiException.forbidden("This access cannot read event \"" + id + "\"");
            }
            return found;
        });
    }

    ObjectNode getOne(Caller caller, Params p) {
        String id = p.requiredString("id");
        p.done();
        return DataJson.single("event", DataJson.event(readable(caller, id)));
    }

    ObjectNode update(Caller caller, Params p) {
        String id = p.requiredString("id");
        ObjectNode patch = p.requiredObject("update");
        p.done();
        Params u = Params.ofJson(patch);
        EventFields f = EventFields.read(u);
        u.done();
        Event updated = db.write(caller.userId(), tx -> {
            Handle h = tx.handle();
            Event e = EventStore.find(h, caller.userId(), id)
                    .orElseThrow(() -> ApiException.unknownResource("event", id));
            StreamTree tree = StreamTree.of(tx, caller.userId());
            StreamAccess access = tree.accessOf(caller.access());
            checkContribute(access, e.streamIds());
            if (f.streamIds != null) {
                checkContribute(access, f.streamIds);
                checkStreamsExist(tree, f.streamIds);
            }
            Event next = f.applyTo(e, tx.now(), caller.access().id());
            EventStore.update(h, caller.userId(), next, !next.streamIds().equals(e.streamIds()));
            // Before and after: a scope the event leaves is told too.
            tx.changed(caller.userId(), Change.EVENTS, e.streamIds(), e.type());
            tx.changed(caller.userId(), Change.EVENTS, next.streamIds(), next.type());
            return next;
        });
        return DataJson.single("event", DataJson.event(updated));
    }

    ObjectNode delete(Caller caller, Params p) {
        String id = p.requiredString("id");
        p.done();
        return db.write(caller.userId(), tx -> {
            Handle h = tx.handle();
            Event e = EventStore.find(h, caller.userId(), id)
                    .orElseThrow(() -> ApiException.unknownResource("event", id));
            checkContribute(writableAccess(tx, caller), e.streamIds());
            String by = caller.access().id();
            tx.changed(caller.userId(), Change.EVENTS, e.streamIds(), e.type());
            if (!e.trashed()) {
                Event trashed = e.trashedBy(by, tx.now());
                EventStore.update(h, caller.userId(), trashed, false);
                return DataJson.single("event", DataJson.event(trashed));
            }
            EventStore.markDeleted(h, e.seq(), tx.now(), by);
            files.deleteAfterCommit(tx, caller.userId(), e);
            return DataJson.deletion("eventDeletion", id);
        });
    }

    ObjectNode get(Caller caller, Params p) {
        EventQuery q = readQuery(p);
        return db.read(h -> {
            StreamTree tree = StreamTree.load(h, caller.userId());
            StreamAccess access = tree.accessOf(caller.access());
            Collection<String> streams = readableStreams(tree, access, q.streamIds());
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ArrayNode events = out.putArray("events");
            if (streams == null || !streams.isEmpty()) {
                boolean explicitLimit = q.limit() > 0;
                int fetch = explicitLimit ? q.limit() : maxResults + 1;
                List<Event> found = EventStore.query(h, caller.userId(), q, streams, fetch, caller.budget());
                if (found.size() > maxResults) throw tooMany();
                found.forEach(e -> events.add(DataJson.event(e)));
            }
            if (q.includeDeletions()) {
                Map<String, Long> deleted = q.modifiedSince() == null || (streams != null && streams.isEmpty())
                        ? Map.of()
                        : EventStore.deletions(h, caller.userId(), q, streams);
                out.set("eventDeletions", DataJson.deletions(deleted));
            }
            return out;
        });
    }

    private EventQuery readQuery(Params p) {
        List<String> streams = p.strings("streams").orElse(null);
        List<String> types = p.strings("types").orElse(null);
        if (types != null) {
            for (String t : types) {
                if (!t.matches("^[a-z0-9-]+/([a-z0-9-]+|\\*)$")) p.problem("types", "has an invalid type \"" + t + "\"");
            }
        }
        Double from = p.time("fromTime").orElse(null);
        Double to = p.time("toTime").orElse(null);
        Double since = p.time("modifiedSince").orElse(null);
        boolean includeDeletions = p.bool("includeDeletions").orElse(false);
        EventQuery.State state = EventQuery.State.DEFAULT;
        String s = p.string("state").orElse("default");
        switch (s) {
            case "default" -> state = EventQuery.State.DEFAULT;
            case "trashed" -> state = EventQuery.State.TRASHED;
            case "all" -> state = EventQuery.State.ALL;
            default -> p.problem("state", "must be one of default, trashed, all");
        }
        boolean ascending = p.bool("sortAscending").orElse(false);
        int skip = p.integer("skip", 0, Integer.MAX_VALUE).orElse(0);
        Long limit = p.longInteger("limit", 0, Long.MAX_VALUE).orElse(null);
        p.done();
        if (limit != null && limit > maxResults) throw tooMany();
        int effectiveLimit;
        if (limit != null && limit > 0) {
            effectiveLimit = limit.intValue();
        } else if (limit == null && from == null && to == null) {
            effectiveLimit = DEFAULT_LIMIT;
        } else {
            effectiveLimit = 0; // no limit asked: bounded by maxResults
        }
        return new EventQuery(streams, types, from, to, since == null ? null : ChangeClock.toMicros(since),
                includeDeletions, state, ascending, skip, effectiveLimit);
    }

    /** The streams to look in, or null when no restriction applies. */
    private static Collection<String> readableStreams(StreamTree tree, StreamAccess access, List<String> requested) {
        if (requested == null && access.readsEverything()) return null;
        Set<String> candidates = new LinkedHashSet<>();
        if (requested == null) {
            candidates.addAll(tree.ids());
        } else {
            checkStreamsExist(tree, requested);
            for (String s : requested) candidates.addAll(tree.withDescendants(s));
        }
        List<String> readable = new ArrayList<>();
        for (String s : candidates) {
            if (access.canReadEvents(s)) readable.add(s);
        }
        if (requested != null && readable.isEmpty()) {
            throw ApiException.forbidden("This access cannot read events of the requested streams");
        }
        return readable;
    }

    private static void checkContribute(StreamAccess access, List<String> streamIds) {
        for (String s : streamIds) {
            if (!access.canContribute(s)) throw forbiddenOn(s);
        }
    }

    static void checkStreamsExist(StreamTree tree, List<String> streamIds) {
        List<String> unknown = streamIds.stream().filter(s -> !tree.exists(s)).toList();
        if (!unknown.isEmpty()) {
            throw new ApiException(ErrorId.UNKNOWN_REFERENCED_RESOURCE,
                    "Unknown stream(s): " + String.join(", ", unknown), Map.of("streamIds", unknown));
        }
    }

    private static StreamAccess access(Handle h, Caller caller) {
        StreamTree tree = StreamTree.load(h, caller.userId());
        return tree.accessOf(caller.access());
    }

    private static StreamAccess writableAccess(WriteTx tx, Caller caller) {
        return StreamTree.of(tx, caller.userId()).accessOf(caller.access());
    }

    private static ApiException forbiddenOn(String streamId) {
        return ApiException.forbidden("This access has not enough permission on stream \"" + streamId + "\"");
    }

    private ApiException tooMany() {
        return new ApiException(ErrorId.TOO_MANY_RESULTS,
                "The result would hold more than " + maxResults + " events: narrow the query or use limit and skip",
                Map.of("limit", maxResults));
    }
}
