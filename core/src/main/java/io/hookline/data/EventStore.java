package io.hookline.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.storage.Dialect;
import io.hookline.storage.Json;
import io.hookline.storage.ReadBudget;
import io.hookline.storage.Rows;
import io.hookline.storage.Tracking;
import io.hookline.storage.WriteTx;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rows of {@code events} (live ones and deletion tombstones) and their stream links in {@code event_streams}. */
public final class EventStore {
    private static final String COLUMNS = "seq, id, stream_ids, type, content, time, duration, description, "
            + "client_data, trashed, attachments, " + Tracking.COLUMNS;

    static final RowMapper<Event> MAPPER = (rs, ctx) -> new Event(
            rs.getLong("seq"),
            rs.getString("id"),
            readIds(rs.getString("stream_ids")),
            rs.getString("type"),
            Json.read(rs.getString("content")),
            rs.getDouble("time"),
            Rows.nullableDouble(rs, "duration"),
            rs.getString("description"),
            Json.read(rs.getString("client_data")),
            rs.getInt("trashed") != 0,
            Tracking.of(rs),
            (com.fasterxml.jackson.databind.node.ArrayNode) Json.read(rs.getString("attachments")));

    private static final String ROW_SIZE = ReadBudget.sizeOf("id", "stream_ids", "type", "content", "description",
            "client_data", "created_by", "modified_by");

    private EventStore() {
    }

    public static Optional<Event> find(Handle h, long userId, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM events WHERE user_id = ? AND id = ? AND deleted IS NULL")
                .bind(0, userId).bind(1, id).map(MAPPER).findOne();
    }

    /** An attachment the database describes: its user and its id (its file's name). */
    public record AttachmentRef(long userId, String attachmentId) {
    }

    /** The attachments of up to {@code maxEvents} events that have some, in no particular order. */
    public static List<AttachmentRef> someAttachments(Handle h, int maxEvents) {
        return h.createQuery("SELECT user_id, attachments FROM events WHERE attachments IS NOT NULL "
                        + "AND attachments <> '[]' LIMIT :max")
                .bind("max", maxEvents)
                .map((rs, ctx) -> {
                    long user = rs.getLong("user_id");
                    List<AttachmentRef> refs = new ArrayList<>();
                    Json.read(rs.getString("attachments"))
                            .forEach(a -> refs.add(new AttachmentRef(user, a.path("id").asText())));
                    return refs;
                })
                .list().stream().flatMap(List::stream).toList();
    }

    public static boolean idTaken(Handle h, long userId, String id) {
        return h.createQuery("SELECT 1 FROM events WHERE user_id = ? AND id = ?")
                .bind(0, userId).bind(1, id).mapTo(Integer.class).findOne().isPresent();
    }

    private static final String INSERT = "INSERT INTO events (user_id, id, stream_ids, type, content, time, "
            + "duration, description, client_data, trashed, attachments, " + Tracking.COLUMNS + ") "
            + "VALUES (:user, :id, :streamIds, :type, :content, :time, :duration, :description, "
            + ":clientData, :trashed, :attachments, " + Tracking.PARAMS + ") RETURNING seq";

    /**
     * Inserts a new event and its stream links. On PostgreSQL both go in one statement that the writer may send with
     * the group's other inserts in one round trip ({@link WriteTx#deferred}): a writer's transaction holds the user's
     * writes in line behind it, so each round trip it saves is saved for all of them.
     */
    public static void insert(WriteTx tx, long userId, Event e) {
        if (tx.dialect() == Dialect.POSTGRESQL) {
            tx.deferred("WITH e AS (" + INSERT + ") INSERT INTO event_streams (event_seq, user_id, stream_id) "
                            + "SELECT e.seq, :user, s FROM e, unnest(:links) s",
                    batch -> bindValues(batch, e).bind("user", userId)
                            .bindArray("links", String.class, e.streamIds().toArray()));
            return;
        }
        Handle h = tx.handle();
        // RETURNING: one statement, where generated keys cost sqlite-jdbc a second query.
        long seq = bindValues(h.createQuery(INSERT), e).bind("user", userId).mapTo(Long.class).one();
        linkStreams(h, userId, seq, e.streamIds());
    }

    public static void update(Handle h, long userId, Event e, boolean streamsChanged) {
        Update update = h.createUpdate("UPDATE events SET stream_ids = :streamIds, type = :type, content = :content, "
                + "time = :time, duration = :duration, description = :description, client_data = :clientData, "
                + "trashed = :trashed, attachments = :attachments, " + Tracking.SET_MODIFIED + " WHERE seq = :seq");
        bindValues(update, e).bind("seq", e.seq()).execute();
        if (streamsChanged) {
            h.execute("DELETE FROM event_streams WHERE event_seq = ?", e.seq());
            linkStreams(h, userId, e.seq(), e.streamIds());
        }
    }

    /** Turns an event into a tombstone: its data is dropped, its id, streams and deletion time stay for syncs. */
    public static void markDeleted(Handle h, long seq, long now, String by) {
        h.execute("UPDATE events SET type = NULL, content = NULL, time = NULL, duration = NULL, description = NULL, "
                + "client_data = NULL, trashed = 0, attachments = NULL, modified = ?, modified_by = ?, deleted = ? "
                + "WHERE seq = ?",
                now, by, now, seq);
    }

    /** Live events linked to any of the given streams. */
    public static List<Event> inStreams(Handle h, long userId, Collection<String> streamIds) {
        if (streamIds.isEmpty()) return List.of();
        return h.createQuery("SELECT " + COLUMNS + " FROM events WHERE deleted IS NULL AND seq IN "
                        + "(SELECT event_seq FROM event_streams WHERE user_id = :user AND stream_id IN (<streams>))")
                .bind("user", userId).bindList("streams", List.copyOf(streamIds))
                .map(MAPPER).list();
    }

    /**
     * From this many events in the streams an access reads, a query walks the user's events from the newest and
     * checks each one's streams; below it, the query starts from the streams' events. Starting from the streams
     * looks up and sorts every event they hold (22 ms for 50,000 on SQLite, to answer the 20 latest); walking stops
     * at the page's last event, but passes over the events of other streams, which makes it the slow one when the
     * streams hold few of the user's events. A sync ({@code modifiedSince}) always checks each event: its rows
     * come from the range of modification times, and building the streams' set first cost SQLite 28 to 57 ms for
     * 50,000 events where checking the few modified ones takes 0.1 to 0.5 ms.
     */
    static final int FEW_IN_STREAMS = 2_000;

    /**
     * Runs an events.get query; {@code streams} null means the access reads every stream. Each row is charged to
     * {@code budget} before it is read.
     */
    public static List<Event> query(Handle h, long userId, EventQuery q, Collection<String> streams, int max,
                                    ReadBudget budget) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", " + ROW_SIZE
                + " FROM events WHERE user_id = :user AND deleted IS NULL");
        appendFilters(sql, q, streams,
                streams == null || (q.modifiedSince() == null && fewInStreams(h, userId, streams)));
        if (q.state() == EventQuery.State.DEFAULT) sql.append(" AND trashed = 0");
        if (q.state() == EventQuery.State.TRASHED) sql.append(" AND trashed = 1");
        if (q.fromTime() != null) sql.append(" AND time + COALESCE(duration, 0) >= :fromTime");
        if (q.toTime() != null) sql.append(" AND time <= :toTime");
        String dir = q.sortAscending() ? "ASC" : "DESC";
        sql.append(" ORDER BY time ").append(dir).append(", seq ").append(dir);
        sql.append(" LIMIT :limit OFFSET :skip");
        Query query = h.createQuery(sql.toString()).bind("user", userId)
                .bind("limit", max).bind("skip", q.skip());
        bindFilters(query, q, streams);
        if (q.fromTime() != null) query.bind("fromTime", q.fromTime());
        if (q.toTime() != null) query.bind("toTime", q.toTime());
        return query.map(budget.charging(MAPPER)).list();
    }

    /** Ids and deletion times of events deleted after {@code q.modifiedSince()}, in the same streams. */
    public static Map<String, Long> deletions(Handle h, long userId, EventQuery q, Collection<String> streams) {
        StringBuilder sql = new StringBuilder("SELECT id, deleted FROM events WHERE user_id = :user AND deleted IS NOT NULL");
        EventQuery onlyStreams = new EventQuery(q.streamIds(), null, null, null, q.modifiedSince(), true,
                q.state(), true, 0, 0);
        appendFilters(sql, onlyStreams, streams, false);
        sql.append(" ORDER BY deleted");
        Query query = h.createQuery(sql.toString()).bind("user", userId);
        bindFilters(query, onlyStreams, streams);
        Map<String, Long> out = new LinkedHashMap<>();
        query.map((rs, ctx) -> out.put(rs.getString(1), rs.getLong(2))).list();
        return out;
    }

    /** Whether the streams hold fewer than {@link #FEW_IN_STREAMS} of the user's events (counted up to that). */
    private static boolean fewInStreams(Handle h, long userId, Collection<String> streams) {
        return h.createQuery("SELECT count(*) FROM (SELECT 1 FROM event_streams WHERE user_id = :user "
                        + "AND stream_id IN (<streams>) LIMIT :cap) s")
                .bind("user", userId).bindList("streams", List.copyOf(streams)).bind("cap", FEW_IN_STREAMS)
                .mapTo(Integer.class).one() < FEW_IN_STREAMS;
    }

    /** {@code fromStreams}: the stream filter as a set of the streams' events, else as a check of each event. */
    private static void appendFilters(StringBuilder sql, EventQuery q, Collection<String> streams,
                                      boolean fromStreams) {
        if (streams != null && fromStreams) {
            sql.append(" AND seq IN (SELECT event_seq FROM event_streams WHERE user_id = :user AND stream_id IN (<streams>))");
        } else if (streams != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM event_streams es WHERE es.event_seq = events.seq "
                    + "AND es.stream_id IN (<streams>))");
        }
        if (q.types() != null && !q.types().isEmpty()) {
            sql.append(" AND (");
            for (int i = 0; i < q.types().size(); i++) {
                if (i > 0) sql.append(" OR ");
                sql.append(q.types().get(i).endsWith("/*") ? "type LIKE :type" + i : "type = :type" + i);
            }
            sql.append(")");
        }
        if (q.modifiedSince() != null) sql.append(" AND modified > :modifiedSince");
    }

    private static void bindFilters(Query query, EventQuery q, Collection<String> streams) {
        if (streams != null) query.bindList("streams", List.copyOf(streams));
        if (q.types() != null) {
            for (int i = 0; i < q.types().size(); i++) {
                String t = q.types().get(i);
                query.bind("type" + i, t.endsWith("/*") ? t.substring(0, t.length() - 1) + "%" : t);
            }
        }
        if (q.modifiedSince() != null) query.bind("modifiedSince", q.modifiedSince());
    }

    private static void linkStreams(Handle h, long userId, long seq, List<String> streamIds) {
        for (String s : streamIds) {
            h.execute("INSERT INTO event_streams (event_seq, user_id, stream_id) VALUES (?, ?, ?)", seq, userId, s);
        }
    }

    /** Binds the event's columns with their static types (binding {@code Object}s costs a type lookup each). */
    private static <S extends SqlStatement<S>> S bindValues(S statement, Event e) {
        return e.tracking().bind(statement).bind("id", e.id())
                .bind("streamIds", Json.write(e.streamIds()))
                .bind("type", e.type())
                .bind("content", Json.write(e.content()))
                .bind("time", e.time())
                .bind("duration", e.duration())
                .bind("description", e.description())
                .bind("clientData", Json.write(e.clientData()))
                .bind("trashed", e.trashed() ? 1 : 0)
                .bind("attachments", Json.write(e.attachments()));
    }

    private static List<String> readIds(String json) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : Json.read(json)) out.add(n.asText());
        return List.copyOf(out);
    }
}
