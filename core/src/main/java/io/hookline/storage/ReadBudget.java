package io.hookline.storage;

import org.jdbi.v3.core.mapper.RowMapper;

import java.util.StringJoiner;

/**
 * How many bytes of stored data one answer may still take. Reads whose size grows with what is stored (events, the
 * streams tree, accesses, webhooks) charge each row before mapping it, so an answer too large to hold is refused
 * while it is read, not after the heap has filled.
 */
@FunctionalInterface
public interface ReadBudget {
    /** For reads that answer nobody (start-up, delivery). */
    ReadBudget NONE = bytes -> {
    };

    /** The column {@link #sizeOf} adds to a query: the stored size of a row. */
    String SIZE_COLUMN = "answer_bytes";

    /** Counts {@code bytes} more; throws when the answer may not grow that much. */
    void charge(long bytes);

    /** Wraps a mapper so that each row's {@link #SIZE_COLUMN} is charged before the row itself is read. */
    default <T> RowMapper<T> charging(RowMapper<T> mapper) {
        return (rs, ctx) -> {
            charge(rs.getLong(SIZE_COLUMN));
            return mapper.map(rs, ctx);
        };
    }

    /**
     * A select-list item giving the stored bytes of these text columns plus the JSON around them. {@code octet_length}
     * reads a value's stored length without loading it (SQLite and PostgreSQL alike).
     */
    static String sizeOf(String... columns) {
        StringJoiner sum = new StringJoiner(" + ", "(", " + 200) AS " + SIZE_COLUMN);
        for (String c : columns) sum.add("COALESCE(octet_length(" + c + "), 0)");
        return sum.toString();
    }
}
