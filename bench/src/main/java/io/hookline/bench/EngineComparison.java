package io.hookline.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 6. PostgreSQL beside SQLite: every figure scenarios 1–5 measured on PostgreSQL (one node, a fresh database per
 * server) shown beside the same figure measured on SQLite in the same run. Figures are matched by scenario and text,
 * leaving out what is in parentheses (counts that differ between the two runs, such as "n=1000").
 */
final class EngineComparison {
    static final String NAME = "6. PostgreSQL beside SQLite";

    private EngineComparison() {
    }

    static void add(List<Results.Row> sqlite, List<Results.Row> postgres, Results out) {
        Map<String, Results.Row> byKey = new LinkedHashMap<>();
        for (Results.Row r : sqlite) byKey.putIfAbsent(key(r), r);
        for (Results.Row pg : postgres) {
            Results.Row base = byKey.get(key(pg));
            double ratio = base == null ? Double.NaN : pg.value() / base.value();
            String target = null;
            Boolean holds = null;
            String figure = bare(pg.figure());
            if (pg.scenario().equals(IngestScenario.NAME) && figure.equals("events.create, c=16, 10 webhooks")) {
                target = "≥ 2,500/s and ≥ 0.5× SQLite";
                holds = pg.value() >= 2500 && ratio >= 0.5;
            } else if (pg.scenario().equals(LatencyScenario.NAME)
                    && figure.startsWith("change → receiver at 100 events/s")) {
                target = "p99 ≤ 2× SQLite's";
                holds = ratio <= 2;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("postgres", pg.details());
            if (base != null) d.put("sqlite", base.details());
            out.add(new Results.Row(NAME, pg.scenario().replaceFirst("^\\d+\\.\\s*", "") + ": " + pg.figure(),
                    pg.valueText(), pg.value(), pg.unit(), base == null ? "no SQLite figure" : "SQLite " + base.valueText(),
                    base == null ? Double.NaN : base.value(), target, holds, d));
        }
    }

    private static String key(Results.Row r) {
        return r.scenario() + "|" + bare(r.figure());
    }

    /** The figure's text without its parenthesized parts. */
    private static String bare(String figure) {
        return figure.replaceAll("\\s*\\([^)]*\\)", "").trim();
    }
}
