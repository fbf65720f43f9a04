package io.hookline.storage;

import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Has PostgreSQL plan a statement at each execution, for its parameters and the tables' present size. The driver
 * otherwise prepares a statement on the server once a connection has run it five times, and the server then keeps
 * one plan for it, made for the tables as they were; it makes a new one only after it analyzes them again. A plan
 * kept from when the tables were nearly empty (a new database, a quiet hour) can read a large table once per row of
 * another after a burst. Planning has its cost (1.6–2.3 ms for the delivery claim, BENCHMARKS.md, sixteenth runs): for
 * the few statements that read tables whose size swings, not for every write.
 */
public final class PlannedEachTime implements StatementCustomizer {
    public static final PlannedEachTime STATEMENT = new PlannedEachTime();

    private PlannedEachTime() {
    }

    @Override
    public void beforeExecution(PreparedStatement stmt, StatementContext ctx) throws SQLException {
        stmt.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
}
