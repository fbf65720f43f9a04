package io.hookline.data;

import io.hookline.auth.StreamTree;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.Caller;
import io.hookline.auth.Level;
import io.hookline.auth.StreamAccess;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.auth.Methods;
import io.hookline.edge.Params;
import io.hookline.storage.Change;
import io.hookline.storage.ChangeClock;
import io.hookline.storage.Database;
import io.hookline.storage.WriteTx;
import io.hookline.storage.Ids;
import io.hookline.storage.Tracking;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The streams methods: the tree an access can see, create, update, trash then delete. */
public final class StreamsService {
    private final Database db;
    private final AttachmentFiles files;

    public StreamsService(Database db, AttachmentFiles files) {
        this.db = db;
        this.files = files;
    }

    public void register(Methods methods) {
        methods.register("streams.get", this::get)
                .register("streams.create", 201, this::create)
                .register("streams.update", this::update)
                .register("streams.delete", this::delete);
    }

    ObjectNode get(Caller caller, Params p) {
        String parentId = p.string("parentId").orElse(null);
        String state = p.string("state").orElse("default");
        if (!state.equals("default") && !state.equals("all")) p.problem("state", "must be default or all");
        Double deletionsSince = p.time("includeDeletionsSince").orElse(null);
        p.done();
        return db.read(h -> {
            List<Stream> all = StreamStore.all(h, caller.userId(), caller.budget());
            Map<String, String> parents = new HashMap<>();
            all.forEach(s -> parents.put(s.id(), s.parentId()));
            StreamTree tree = new StreamTree(parents);
            if (parentId != null && !tree.exists(parentId)) {
                throw new ApiException(ErrorId.UNKNOWN_REFERENCED_RESOURCE, "Unknown parent stream \"" + parentId + "\"",
                        Map.of("parentId", parentId));
            }
            StreamAccess access = tree.accessOf(caller.access());
            boolean includeTrashed = state.equals("all");
            Map<String, Stream> visible = new java.util.LinkedHashMap<>();
            Map<String, Stream> byId = new HashMap<>();
            all.forEach(s -> byId.put(s.id(), s));
            for (Stream s : all) {
                if (access.canSee(s.id()) && (includeTrashed || !trashedWithAncestors(s, byId))) visible.put(s.id(), s);
            }
            Map<String, List<Stream>> children = new HashMap<>();
            List<Stream> roots = new ArrayList<>();
            for (Stream s : visible.values()) {
                boolean topLevel = parentId != null
                        ? parentId.equals(s.parentId())
                        : s.parentId() == null || !visible.containsKey(s.parentId());
                if (topLevel) roots.add(s);
                else children.computeIfAbsent(s.parentId(), k -> new ArrayList<>()).add(s);
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ArrayNode arr = out.putArray("streams");
            for (Stream r : roots) arr.add(render(r, children));
            if (deletionsSince != null) {
                out.set("streamDeletions", DataJson.deletions(
                        StreamStore.deletionsSince(h, caller.userId(), ChangeClock.toMicros(deletionsSince))));
            }
            return out;
        });
    }

    ObjectNode create(Caller caller, Params p) {
        String id = p.string("id").orElse(null);
        if (id != null) ItemIds.checkStreamId(id);
        String name = p.requiredString("name");
        if (name != null && (name.isBlank() || name.length() > 200)) p.problem("name", "must be 1 to 200 characters");
        String parentId = p.string("parentId").orElse(null);
        ObjectNode clientData = p.object("clientData").orElse(null);
        boolean trashed = p.bool("trashed").orElse(false);
        p.done();
        Stream created = db.write(caller.userId(), tx -> {
            Handle h = tx.handle();
            StreamTree tree = StreamTree.of(tx, caller.userId());
            StreamAccess access = tree.accessOf(caller.access());
            checkCanManageUnder(access, tree, parentId);
            String streamId = id;
            if (streamId == null) {
                streamId = freeId(tree, ItemIds.slug(name));
            } else if (tree.exists(streamId)) {
                throw new ApiException(ErrorId.ITEM_ALREADY_EXISTS, "A stream with id \"" + id + "\" already exists",
                        Map.of("id", id));
            }
            checkNameFree(h, caller.userId(), parentId, name, null);
            String by = caller.access().id();
            Stream s = new Stream(streamId, name, parentId, clientData, trashed, Tracking.createdBy(by, tx.now()));
            StreamStore.insert(h, caller.userId(), s);
            tx.changed(caller.userId(), Change.STREAMS, List.of(s.id()), null);
            return s;
        });
        return DataJson.single("stream", DataJson.stream(created, List.of()));
    }

    ObjectNode update(Caller caller, Params p) {
        String id = p.requiredString("id");
        ObjectNode patch = p.requiredObject("update");
        p.done();
        Params u = Params.ofJson(patch);
        String name = u.string("name").orElse(null);
        if (name != null && (name.isBlank() || name.length() > 200)) u.problem("name", "must be 1 to 200 characters");
        boolean moves = u.has("parentId");
        String newParent = u.isNull("parentId") ? null : u.string("parentId").orElse(null);
        boolean setsClientData = u.has("clientData");
        ObjectNode clientData = u.isNull("clientData") ? null : u.object("clientData").orElse(null);
        Boolean trashed = u.bool("trashed").orElse(null);
        u.done();
        Stream updated = db.write(caller.userId(), tx -> {
            Handle h = tx.handle();
            Stream s = StreamStore.find(h, caller.userId(), id)
                    .orElseThrow(() -> ApiException.unknownResource("stream", id));
            StreamTree tree = StreamTree.of(tx, caller.userId());
            StreamAccess access = tree.accessOf(caller.access());
            if (!access.canManage(id)) throw forbidden(id);
            String parent = moves ? newParent : s.parentId();
            if (moves) {
                if (parent != null && tree.isSelfOrDescendant(parent, id)) {
                    throw new ApiException(ErrorId.INVALID_OPERATION,
                            "A stream cannot be moved under itself or one of its descendants");
                }
                checkCanManageUnder(access, tree, parent);
            }
            String newName = name != null ? name : s.name();
            if (moves || name != null) checkNameFree(h, caller.userId(), parent, newName, id);
            String by = caller.access().id();
            Stream next = s.updatedBy(newName, parent, setsClientData ? clientData : s.clientData(),
                    trashed != null ? trashed : s.trashed(), by, tx.now());
            StreamStore.update(h, caller.userId(), next);
            // The former parent too: a scope on it is told that the stream left.
            tx.changed(caller.userId(), Change.STREAMS, withParent(id, s.parentId()), null);
            return next;
        });
        return DataJson.single("stream", DataJson.stream(updated, List.of()));
    }

    ObjectNode delete(Caller caller, Params p) {
        String id = p.requiredString("id");
        Boolean merge = p.bool("mergeEventsWithParent").orElse(null);
        p.done();
        return db.write(caller.userId(), tx -> {
            Handle h = tx.handle();
            Stream s = StreamStore.find(h, caller.userId(), id)
                    .orElseThrow(() -> ApiException.unknownResource("stream", id));
            StreamTree tree = StreamTree.of(tx, caller.userId());
            StreamAccess access = tree.accessOf(caller.access());
            if (!access.canManage(id)) throw forbidden(id);
            String by = caller.access().id();
            if (!s.trashed()) {
                tx.changed(caller.userId(), Change.STREAMS, withParent(id, s.parentId()), null);
                Stream trashed = s.trashedBy(by, tx.now());
                StreamStore.update(h, caller.userId(), trashed);
                return DataJson.single("stream", DataJson.stream(trashed, List.of()));
            }
            Set<String> removed = tree.withDescendants(id);
            // Gone from the tree once deleted: name them and the parent, so that scopes on them are told.
            List<String> touched = new ArrayList<>(withParent(id, s.parentId()));
            touched.addAll(removed);
            tx.changed(caller.userId(), Change.STREAMS, touched, null);
            List<Event> events = EventStore.inStreams(h, caller.userId(), removed);
            if (!events.isEmpty()) {
                if (merge == null) {
                    throw new ApiException(ErrorId.INVALID_PARAMETERS_FORMAT,
                            "mergeEventsWithParent is required: the stream or its descendants hold events");
                }
                if (merge && s.parentId() == null) {
                    throw new ApiException(ErrorId.INVALID_OPERATION,
                            "A root stream has no parent to merge its events into");
                }
                relinkEvents(tx, caller.userId(), events, removed, merge ? s.parentId() : null, by);
                tx.changed(caller.userId(), Change.EVENTS, touched, null);
            }
            StreamStore.delete(h, caller.userId(), removed, tx.now());
            return DataJson.deletion("streamDeletion", id);
        });
    }

    private static List<String> withParent(String id, String parentId) {
        return parentId == null ? List.of(id) : List.of(id, parentId);
    }

    /** Moves events out of deleted streams: into {@code parent}, or nowhere (an event left in no stream is deleted). */
    private void relinkEvents(WriteTx tx, long userId, List<Event> events, Set<String> removed, String parent,
                              String by) {
        Handle h = tx.handle();
        long now = tx.now();
        for (Event e : events) {
            Set<String> ids = new LinkedHashSet<>();
            for (String s : e.streamIds()) {
                if (!removed.contains(s)) ids.add(s);
                else if (parent != null) ids.add(parent);
            }
            if (ids.isEmpty()) {
                EventStore.markDeleted(h, e.seq(), now, by);
                files.deleteAfterCommit(tx, userId, e);
            } else {
                Event moved = e.movedTo(List.copyOf(ids), by, now);
                EventStore.update(h, userId, moved, true);
            }
        }
    }

    private static void checkCanManageUnder(StreamAccess access, StreamTree tree, String parentId) {
        if (parentId == null) {
            if (access.levelOnRoot().filter(Level::canManage).isEmpty()) {
                throw ApiException.forbidden("Only an access that manages every stream may create root streams");
            }
            return;
        }
        if (!tree.exists(parentId)) {
            throw new ApiException(ErrorId.UNKNOWN_REFERENCED_RESOURCE, "Unknown parent stream \"" + parentId + "\"",
                    Map.of("parentId", parentId));
        }
        if (!access.canManage(parentId)) throw forbidden(parentId);
    }

    private static void checkNameFree(Handle h, long userId, String parentId, String name, String exceptId) {
        if (StreamStore.siblingNameTaken(h, userId, parentId, name, exceptId)) {
            throw new ApiException(ErrorId.ITEM_ALREADY_EXISTS,
                    "A sibling stream is already named \"" + name + "\"", Map.of("name", name));
        }
    }

    private static String freeId(StreamTree tree, String slug) {
        if (slug.isEmpty()) return Ids.newId();
        String candidate = slug;
        for (int i = 2; tree.exists(candidate); i++) candidate = slug + "-" + i;
        return candidate;
    }

    private static boolean trashedWithAncestors(Stream s, Map<String, Stream> byId) {
        Stream cur = s;
        int guard = 0;
        while (cur != null && guard++ < 100_000) {
            if (cur.trashed()) return true;
            cur = cur.parentId() == null ? null : byId.get(cur.parentId());
        }
        return false;
    }

    private static ObjectNode render(Stream s, Map<String, List<Stream>> children) {
        List<ObjectNode> kids = new ArrayList<>();
        for (Stream c : children.getOrDefault(s.id(), List.of())) kids.add(render(c, children));
        return DataJson.stream(s, kids);
    }

    private static ApiException forbidden(String streamId) {
        return ApiException.forbidden("This access cannot manage stream \"" + streamId + "\"");
    }
}
