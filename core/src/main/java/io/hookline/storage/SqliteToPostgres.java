package io.hookline.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies every table of a SQLite database into an empty PostgreSQL database of the same schema version, pending
 * notifications included, in one PostgreSQL transaction: either everything is copied and the row counts match, or
 * nothing is. The copied tables are analyzed in that transaction. Tables are found in SQLite's catalogue and copied
 * parents first (by their foreign keys), so a table a migration adds is copied without changing this class. Rows
 * stream through in batches: memory stays bounded.
 */
public final class SqliteToPostgres {
    private static final int BATCH = 1000;

    /** One copied table and its row count (the same on both sides). */
    public record Copied(String table, long rows) {
    }

    private SqliteToPostgres() {
    }

    /** Both databases must be migrated to the current version; the PostgreSQL one must have no rows yet. */
    public static List<Copied> copy(Jdbi sqlite, Jdbi postgres) {
        return sqlite.withHandle(source -> postgres.inTransaction(target -> {
            List<String> tables = tablesParentsFirst(source);
            for (String table : tables) {
                if (count(target, table) > 0) {
                    throw new IllegalStateException("the PostgreSQL database is not empty (table " + table
                            + " has rows): copy only into a new, empty database");
                }
            }
            List<Copied> copied = new ArrayList<>();
            for (String table : tables) {
                copyTable(source, target, table);
                long rows = count(source, table);
                long there = count(target, table);
                if (rows != there) {
                    throw new IllegalStateException("table " + table + ": " + rows + " row(s) in SQLite but " + there
                            + " copied; nothing was committed");
                }
                copied.add(new Copied(table, rows));
            }
            restartIdentities(target);
            // Statistics committed with the rows: until the server's own analysis, it would plan every statement,
            // and keep prepared statements' plans, as if the tables were empty.
            for (String table : tables) target.execute("ANALYZE " + table);
            return copied;
        }));
    }

    private static long count(Handle h, String table) {
        return h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one();
    }

    /** SQLite's tables but its own and the migrations', each after the tables its foreign keys point to. */
    static List<String> tablesParentsFirst(Handle sqlite) {
        List<String> names = sqlite.createQuery("SELECT name FROM sqlite_master WHERE type = 'table' "
                + "AND name NOT LIKE 'sqlite%' AND name <> 'schema_migrations' ORDER BY name").mapTo(String.class).list();
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (String name : names) {
            Set<String> of = new LinkedHashSet<>(sqlite.createQuery("SELECT \"table\" FROM pragma_foreign_key_list(?)")
                    .bind(0, name).mapTo(String.class).list());
            of.remove(name);
            parents.put(name, of);
        }
        List<String> ordered = new ArrayList<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String name : names) visit(name, parents, ordered, visiting);
        return Collections.unmodifiableList(ordered);
    }

    private static void visit(String table, Map<String, Set<String>> parents, List<String> ordered,
                              Set<String> visiting) {
        if (ordered.contains(table) || !parents.containsKey(table)) return;
        if (!visiting.add(table)) throw new IllegalStateException("foreign keys form a cycle through " + table);
        for (String parent : parents.get(table)) visit(parent, parents, ordered, visiting);
        visiting.remove(table);
        ordered.add(table);
    }

    private static void copyTable(Handle source, Handle target, String table) {
        List<String> columns = source.createQuery("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                .bind(0, table).mapTo(String.class).list();
        boolean hasRowid = !source.createQuery("SELECT sql FROM sqlite_master WHERE name = ?").bind(0, table)
                .mapTo(String.class).one().toUpperCase().contains("WITHOUT ROWID");
        String list = String.join(", ", columns);
        // In rowid order: PostgreSQL's identity columns (webhook_pending.seq) then keep SQLite's insertion order.
        String select = "SELECT " + list + " FROM " + table + (hasRowid ? " ORDER BY rowid" : "");
        String insert = "INSERT INTO " + table + " (" + list + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        Connection from = source.getConnection();
        Connection to = target.getConnection();
        try (Statement read = from.createStatement(); PreparedStatement write = to.prepareStatement(insert)) {
            read.setFetchSize(BATCH);
            try (ResultSet rs = read.executeQuery(select)) {
                int pending = 0;
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) write.setObject(i, rs.getObject(i));
                    write.addBatch();
                    if (++pending == BATCH) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) write.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("table " + table + ": " + e.getMessage(), e);
        }
    }

    /** Identity columns (users.id, events.seq...) continue after the copied values. */
    private static void restartIdentities(Handle pg) {
        pg.createQuery("SELECT table_name, column_name FROM information_schema.columns "
                        + "WHERE table_schema = current_schema() AND is_identity = 'YES'")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list()
                .forEach(e -> pg.createQuery("SELECT setval(pg_get_serial_sequence(:table, :column), "
                                + "COALESCE((SELECT MAX(" + e.getValue() + ") FROM " + e.getKey() + "), 0) + 1, false)")
                        .bind("table", e.getKey()).bind("column", e.getValue()).mapTo(Long.class).one());
    }
}
