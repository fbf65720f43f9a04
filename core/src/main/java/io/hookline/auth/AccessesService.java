package io.hookline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.edge.Params;
import io.hookline.storage.Change;
import io.hookline.storage.Database;
import io.hookline.storage.Ids;
import io.hookline.storage.ReadBudget;
import io.hookline.storage.Tracking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The accesses methods and {@code access-info}, with the rules of who may create and delete which access. */
public final class AccessesService {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final Database db;
    private final List<AccessDeletionListener> deletionListeners = new ArrayList<>();

    /** Runs inside the transaction that deletes accesses, to remove what they own (webhooks). */
    public interface AccessDeletionListener {
        void deleting(io.hookline.storage.WriteTx tx, long userId, List<String> accessIds);
    }

    public AccessesService(Database db) {
        this.db = db;
    }

    public void onDeletion(AccessDeletionListener listener) {
        deletionListeners.add(listener);
    }

    public void register(Methods methods) {
        methods.register("accesses.get", this::get)
                .register("accesses.create", 201, this::create)
                .register("accesses.delete", this::delete)
                .register("accesses.checkApp", this::checkApp)
                .register("getAccessInfo", this::info)
                .register("auth.logout", this::logout);
    }

    /** The calling access, every field of it, and whose account it opens. */
    ObjectNode info(Caller caller, Params p) {
        p.done();
        ObjectNode o = AccessJson.render(caller.access(), caller);
        o.putObject("user").put("username", caller.user().username());
        return o;
    }

    /**
     * Whether an app already holds the access it asks for: {@code matchingAccess} when an app access of that name
     * (and device name) has exactly these permissions, {@code mismatchingAccess} when it has others.
     */
    ObjectNode checkApp(Caller caller, Params p) {
        String appId = p.requiredString("requestingAppId");
        if (appId != null && (appId.isBlank() || appId.length() > 200)) {
            p.problem("requestingAppId", "must be 1 to 200 characters");
        }
        Optional<JsonNode> raw = p.json("requestedPermissions");
        List<Permission> requested = readPermissions(p, "requestedPermissions", Set.of("defaultName", "name"));
        String deviceName = p.string("deviceName").orElse(null);
        p.object("clientData");
        p.done();
        if (!caller.isPersonal()) throw ApiException.forbidden("Only a personal access may check an app's access");
        Optional<Access> existing = db.read(h -> AccessStore.all(h, caller.userId(), ReadBudget.NONE)).stream()
                .filter(a -> a.type() == AccessType.APP && a.name().equals(appId)
                        && java.util.Objects.equals(a.deviceName(), deviceName))
                .findFirst();
        ObjectNode out = F.objectNode();
        out.set("checkedPermissions", raw.orElseGet(F::arrayNode).deepCopy());
        existing.ifPresent(a -> out.set(
                Set.copyOf(a.permissions()).equals(Set.copyOf(requested)) ? "matchingAccess" : "mismatchingAccess",
                AccessJson.render(a, caller)));
        return out;
    }

    /** Ends the calling personal access: its token stops working. What it created stays. */
    ObjectNode logout(Caller caller, Params p) {
        p.done();
        if (!caller.isPersonal()) throw ApiException.forbidden("Only a personal access (a session) can log out");
        db.write(caller.userId(), tx -> {
            tx.deletesAccesses();
            AccessStore.delete(tx, caller.userId(), caller.access().id());
            tx.changed(caller.userId(), Change.ACCESSES, caller.access().streamIds(), null);
            return null;
        });
        return F.objectNode();
    }

    ObjectNode get(Caller caller, Params p) {
        p.done();
        if (caller.access().type() == AccessType.SHARED) {
            throw ApiException.forbidden("A shared access cannot list accesses");
        }
        List<Access> list = db.read(h -> caller.isPersonal()
                ? AccessStore.all(h, caller.userId(), caller.budget())
                : AccessStore.createdBy(h, caller.userId(), caller.access().id(), caller.budget()));
        ObjectNode out = F.objectNode();
        ArrayNode arr = out.putArray("accesses");
        list.forEach(a -> arr.add(AccessJson.render(a, caller)));
        return out;
    }

    ObjectNode create(Caller caller, Params p) {
        AccessType type = p.string("type").map(t -> AccessType.fromWire(t).orElseGet(() -> {
            p.problem("type", "must be personal, app or shared");
            return null;
        })).orElse(AccessType.SHARED);
        // Refused whatever else the body holds: no fix to the other parameters would make it allowed.
        if (type == AccessType.PERSONAL) throw ApiException.forbidden("Personal accesses are created by logging in");
        String name = p.requiredString("name");
        if (name != null && (name.isBlank() || name.length() > 200)) p.problem("name", "must be 1 to 200 characters");
        String deviceName = p.string("deviceName").orElse(null);
        List<Permission> permissions = readPermissions(p, "permissions", Set.of());
        Double expireAfter = p.number("expireAfter").orElse(null);
        if (expireAfter != null && expireAfter < 0) p.problem("expireAfter", "must not be negative");
        ObjectNode clientData = p.object("clientData").orElse(null);
        p.done();
        if (caller.access().type() == AccessType.SHARED) throw ApiException.forbidden("A shared access cannot create accesses");
        if (caller.access().type() == AccessType.APP && type != AccessType.SHARED) {
            throw ApiException.forbidden("An app access may only create shared accesses");
        }
        Access created = db.write(caller.userId(), tx -> {
            if (!caller.isPersonal()) {
                StreamTree tree = StreamTree.of(tx, caller.userId());
                checkWithinOwn(caller.access(), tree, permissions);
            }
            if (AccessStore.nameTaken(tx.handle(), caller.userId(), type, name, deviceName)) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("type", type.wire());
                data.put("name", name);
                if (deviceName != null) data.put("deviceName", deviceName);
                throw new ApiException(ErrorId.ITEM_ALREADY_EXISTS,
                        "An access of that type, name and device name already exists", data);
            }
            Long expires = expireAfter == null ? null
                    : Math.min(Long.MAX_VALUE - tx.now(), Math.round(expireAfter * 1_000_000)) + tx.now();
            String by = caller.access().id();
            Access a = new Access(Ids.newId(), caller.userId(), Ids.newToken(), type, name, deviceName, permissions,
                    clientData, expires, Tracking.createdBy(by, tx.now()));
            AccessStore.insert(tx.handle(), a);
            tx.changed(caller.userId(), Change.ACCESSES, a.streamIds(), null);
            return a;
        });
        ObjectNode out = F.objectNode();
        out.set("access", AccessJson.render(created, caller));
        return out;
    }

    ObjectNode delete(Caller caller, Params p) {
        String id = p.requiredString("id");
        p.done();
        db.write(caller.userId(), tx -> {
            tx.deletesAccesses();
            Access target = AccessStore.byId(tx.handle(), caller.userId(), id)
                    .orElseThrow(() -> ApiException.unknownResource("access", id));
            boolean allowed = caller.isPersonal()
                    || target.id().equals(caller.access().id())
                    || (caller.access().type() == AccessType.APP && caller.access().id().equals(target.tracking().createdBy()));
            if (!allowed) throw ApiException.forbidden("This access cannot delete access \"" + id + "\"");
            for (AccessDeletionListener l : deletionListeners) l.deleting(tx, caller.userId(), List.of(id));
            AccessStore.delete(tx, caller.userId(), id);
            tx.changed(caller.userId(), Change.ACCESSES, target.streamIds(), null);
            return null;
        });
        ObjectNode out = F.objectNode();
        out.putObject("accessDeletion").put("id", id);
        return out;
    }

    /**
     * "At or below its own": wherever the new access would have a level (each existing stream, those it names, and
     * the root, which stands for streams created later), the creator's own level there must cover it. Checking the
     * named permissions alone is not enough: "*" or a parent would also reach streams the creator holds less on.
     */
    private static void checkWithinOwn(Access creator, StreamTree tree, List<Permission> requested) {
        StreamAccess own = tree.accessOf(creator);
        Access asked = new Access(creator.id(), creator.userId(), "", AccessType.SHARED, "", null, requested, null,
                null, Tracking.createdBy("", 0));
        StreamAccess wanted = tree.accessOf(asked);
        checkCovers(own.levelOnRoot(), wanted.levelOnRoot(), "*");
        java.util.Set<String> streams = new java.util.LinkedHashSet<>(tree.ids());
        requested.forEach(r -> streams.add(r.streamId()));
        streams.remove(Permission.ALL_STREAMS);
        for (String s : streams) checkCovers(own.levelOn(s), wanted.levelOn(s), s);
    }

    private static void checkCovers(Optional<Level> mine, Optional<Level> wanted, String streamId) {
        if (wanted.isPresent() && (mine.isEmpty() || !mine.get().covers(wanted.get()))) {
            throw ApiException.forbidden("Cannot grant \"" + wanted.get().wire() + "\" on \"" + streamId
                    + "\": it is above this access's own permission");
        }
    }

    /** Reads {@code [{streamId, level}]}; {@code extra} names further string keys allowed beside them. */
    private static List<Permission> readPermissions(Params p, String name, Set<String> extra) {
        List<Permission> out = new ArrayList<>();
        Optional<JsonNode> raw = p.json(name);
        if (raw.isEmpty() || raw.get().isNull()) {
            p.problem(name, "is required");
            return out;
        }
        if (!raw.get().isArray()) {
            p.problem(name, "must be an array of {streamId, level}");
            return out;
        }
        Consumer<String> bad = msg -> p.problem(name, msg);
        for (JsonNode n : raw.get()) {
            if (!n.isObject() || !n.path("streamId").isTextual() || !n.path("level").isTextual()
                    || !onlyKeys(n, extra)) {
                bad.accept(extra.isEmpty() ? "must hold objects of exactly {streamId, level}"
                        : "must hold objects of {streamId, level} and optionally " + String.join(", ", extra));
                continue;
            }
            Optional<Level> level = Level.fromWire(n.get("level").asText());
            if (level.isEmpty()) {
                bad.accept("has an unknown level \"" + n.get("level").asText()
                        + "\" (read, create-only, contribute, manage)");
                continue;
            }
            out.add(new Permission(n.get("streamId").asText(), level.get()));
        }
        return List.copyOf(out);
    }

    private static boolean onlyKeys(JsonNode n, Set<String> extra) {
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            boolean known = f.getKey().equals("streamId") || f.getKey().equals("level")
                    || (extra.contains(f.getKey()) && f.getValue().isTextual());
            if (!known) return false;
        }
        return true;
    }
}
