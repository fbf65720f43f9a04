package io.hookline.storage;

import com.codahale.metrics.MetricRegistry;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a writer committed: its transactions, and the units of write work committed in them (a request's write, a
 * batch of delivery results). Their ratio is how many writes share each commit, which on PostgreSQL sets most of the
 * database's cost per write: a commit and the statements each transaction runs once, whatever its size.
 */
public final class WriteCounts {
    static final String TRANSACTIONS = "hookline.writer.transactions";
    static final String WRITES = "hookline.writer.writes";

    private final LongAdder transactions = new LongAdder();
    private final LongAdder writes = new LongAdder();

    /** A transaction committed with {@code units} writes in it (none: every write of it failed alone). */
    void committed(int units) {
        transactions.increment();
        writes.add(units);
    }

    public long transactions() {
        return transactions.sum();
    }

    public long writes() {
        return writes.sum();
    }

    /** Both counts as gauges of the admin port's metrics (and so of its Prometheus scrape). */
    void register(MetricRegistry registry) {
        registry.gauge(TRANSACTIONS, () -> this::transactions);
        registry.gauge(WRITES, () -> this::writes);
    }
}
