package io.hookline.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.statement.SqlStatement;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Who created an item and who last changed it, and when (microseconds since the epoch): the same four columns in
 * every table of items, and the same four fields in every answer. Read, bound and rendered here only.
 */
public record Tracking(long created, String createdBy, long modified, String modifiedBy) {
    /** The four columns, in the order of {@link #PARAMS}. */
    public static final String COLUMNS = "created, created_by, modified, modified_by";
    /** The four named parameters {@link #bind} sets. */
    public static final String PARAMS = ":created, :createdBy, :modified, :modifiedBy";
    /** The assignments {@link #bindModified} binds, for an UPDATE. */
    public static final String SET_MODIFIED = "modified = :modified, modified_by = :modifiedBy";

    /** An item created now by {@code accessId}: created and modified are the same. */
    public static Tracking createdBy(String accessId, long now) {
        return new Tracking(now, accessId, now, accessId);
    }

    /** The same item, changed now by {@code accessId}. */
    public Tracking modifiedBy(String accessId, long now) {
        return new Tracking(created, createdBy, now, accessId);
    }

    /** Reads the four columns of the current row. */
    public static Tracking of(ResultSet rs) throws SQLException {
        return new Tracking(rs.getLong("created"), rs.getString("created_by"), rs.getLong("modified"),
                rs.getString("modified_by"));
    }

    /** Binds the four {@link #PARAMS}. */
    public <S extends SqlStatement<S>> S bind(S statement) {
        return bindModified(statement.bind("created", created).bind("createdBy", createdBy));
    }

    /** Binds {@code :modified} and {@code :modifiedBy} only (see {@link #SET_MODIFIED}). */
    public <S extends SqlStatement<S>> S bindModified(S statement) {
        return statement.bind("modified", modified).bind("modifiedBy", modifiedBy);
    }

    /** Adds {@code created, createdBy, modified, modifiedBy} to an item's JSON, times in float seconds. */
    public ObjectNode render(ObjectNode o) {
        o.put("created", ChangeClock.toSeconds(created));
        o.put("createdBy", createdBy);
        o.put("modified", ChangeClock.toSeconds(modified));
        o.put("modifiedBy", modifiedBy);
        return o;
    }
}
