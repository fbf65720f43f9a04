package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.StreamAccess;
import io.hookline.auth.StreamTree;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.storage.Change;
import io.hookline.storage.Touch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A webhook's scopes, as Pryv v2 has them: {@code {"<key>": {"kind": "events"|"streams"|"accesses", "query": {...}}}}.
 * A scoped webhook is told only of changes matching a scope, by the scope's key.
 */
public final class Scopes {
    static final int MAX_SCOPES = 20;
    private static final int MAX_FILTER = 100;
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_.:-]{1,100}$");
    private static final Pattern TYPE = Pattern.compile("^[a-z0-9-]+/([a-z0-9-]+|\\*)$");
    /** Keys a scope may not take: these messages are sent to every webhook and mean something else. */
    private static final Set<String> RESERVED = Set.of("webhooksServiceBoot", "test");

    /** One scope: its key, the kind of change, and the streams and types it is narrowed to (empty: all). */
    record Scope(String key, Change kind, List<String> streams, List<String> types) {
    }

    private final ObjectNode json;
    private final List<Scope> scopes;

    private Scopes(ObjectNode json, List<Scope> scopes) {
        this.json = json;
        this.scopes = scopes;
    }

    /** Reads and checks the {@code scopes} parameter; any problem is a 400 naming it. */
    public static Scopes parse(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty() || node.size() > MAX_SCOPES) {
            throw bad("must be an object of 1 to " + MAX_SCOPES + " scopes by key");
        }
        List<Scope> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(scope(e.getKey(), e.getValue()));
        }
        return new Scopes(((ObjectNode) node).deepCopy(), List.copyOf(out));
    }

    /** Scopes as stored; never fails on what {@link #parse} accepted. */
    static Scopes stored(ObjectNode json) {
        return json == null ? null : parse(json);
    }

    public ObjectNode json() {
        return json.deepCopy();
    }

    /**
     * Refuses scopes on streams that do not exist (400) or that {@code access} cannot read (403): a webhook must not
     * learn of changes its access could not see.
     */
    void checkReadableBy(StreamTree tree, StreamAccess access) {
        for (Scope s : scopes) {
            for (String stream : s.streams()) {
                if (!tree.exists(stream)) {
                    throw new ApiException(ErrorId.UNKNOWN_REFERENCED_RESOURCE, "Scope \"" + s.key()
                            + "\" names an unknown stream \"" + stream + "\"", Map.of("streamIds", List.of(stream)));
                }
                boolean readable = s.kind() == Change.EVENTS ? access.canReadEvents(stream) : access.canSee(stream);
                if (!readable) {
                    throw ApiException.forbidden("Scope \"" + s.key() + "\" names stream \"" + stream
                            + "\", which this access cannot read");
                }
            }
        }
    }

    /** Whether any scope narrows by streams (matching then needs the stream tree). */
    boolean namesStreams() {
        return scopes.stream().anyMatch(s -> !s.streams().isEmpty());
    }

    /** The keys of the scopes that at least one change matches, in the order of the scopes. */
    List<String> matching(List<Touch> touches, StreamTree tree) {
        List<String> keys = new ArrayList<>();
        for (Scope s : scopes) {
            Set<String> streams = expanded(s.streams(), tree);
            for (Touch t : touches) {
                if (matches(s, streams, t)) {
                    keys.add(s.key());
                    break;
                }
            }
        }
        return keys;
    }

    private static boolean matches(Scope s, Set<String> streams, Touch t) {
        if (t.kind() != s.kind()) return false;
        if (!s.types().isEmpty() && t.type() != null && s.types().stream().noneMatch(x -> typeMatches(x, t.type()))) {
            return false;
        }
        if (streams.isEmpty()) return true;
        for (String id : t.streamIds()) {
            if (id.equals("*") || streams.contains(id)) return true;
        }
        return false;
    }

    private static boolean typeMatches(String pattern, String type) {
        return pattern.endsWith("/*") ? type.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(type);
    }

    /** A scope's streams with their descendants, as {@code events.get} reads {@code streams}. */
    private static Set<String> expanded(List<String> streams, StreamTree tree) {
        Set<String> out = new HashSet<>();
        for (String id : streams) {
            out.add(id);
            if (tree != null && tree.exists(id)) out.addAll(tree.withDescendants(id));
        }
        return out;
    }

    private static Scope scope(String key, JsonNode value) {
        if (!KEY.matcher(key).matches() || RESERVED.contains(key)) {
            throw bad("keys are 1 to 100 letters, digits, '_', '.', ':' or '-', other than "
                    + String.join(" and ", RESERVED) + " (\"" + key + "\" is not)");
        }
        if (!value.isObject()) throw bad("\"" + key + "\" must be an object {kind, query}");
        Set<String> fields = new LinkedHashSet<>();
        value.fieldNames().forEachRemaining(fields::add);
        fields.removeAll(Set.of("kind", "query"));
        if (!fields.isEmpty()) throw bad("\"" + key + "\" has unknown field(s) " + String.join(", ", fields));
        Change kind = switch (value.path("kind").asText("")) {
            case "events" -> Change.EVENTS;
            case "streams" -> Change.STREAMS;
            case "accesses" -> Change.ACCESSES;
            default -> throw bad("\"" + key + "\".kind must be events, streams or accesses");
        };
        JsonNode query = value.get("query");
        if (query == null || query.isNull()) return new Scope(key, kind, List.of(), List.of());
        if (!query.isObject()) throw bad("\"" + key + "\".query must be an object");
        Set<String> allowed = kind == Change.EVENTS ? Set.of("streams", "types") : Set.of("streams");
        query.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw bad("\"" + key + "\".query takes only " + String.join(" and ", new java.util.TreeSet<>(allowed))
                        + " for kind " + value.get("kind").asText() + " (not \"" + f + "\")");
            }
        });
        List<String> streams = strings(key, "streams", query.get("streams"), null);
        List<String> types = strings(key, "types", query.get("types"), TYPE);
        return new Scope(key, kind, streams, types);
    }

    private static List<String> strings(String key, String name, JsonNode node, Pattern format) {
        if (node == null) return List.of();
        if (!node.isArray() || node.size() > MAX_FILTER) {
            throw bad("\"" + key + "\".query." + name + " must be an array of at most " + MAX_FILTER + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual() || n.asText().isEmpty() || (format != null && !format.matcher(n.asText()).matches())) {
                throw bad("\"" + key + "\".query." + name + " holds an invalid value " + n);
            }
            out.add(n.asText());
        }
        return List.copyOf(out);
    }

    private static ApiException bad(String message) {
        return new ApiException(ErrorId.INVALID_PARAMETERS_FORMAT, "scopes: " + message,
                List.of(Map.of("param", "scopes", "message", message)));
    }
}
