package io.hookline.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one run: one row per figure, with the baseline measured in the same run, their ratio, the
 * target when there is one, and whether it holds. Rendered as a Markdown table and as JSON.
 */
final class Results {
    /**
     * One figure. {@code value} and {@code baseline} are the numbers compared (ratio = value / baseline);
     * the texts are what the table shows. {@code holds} is null when the row has no target.
     */
    record Row(String scenario, String figure, String valueText, double value, String unit, String baselineText,
               double baseline, String target, Boolean holds, Map<String, Object> details) {
        double ratio() {
            return Double.isFinite(baseline) && baseline != 0 && Double.isFinite(value) ? value / baseline : Double.NaN;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> context = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    synchronized void add(Row row) {
        rows.add(row);
        System.out.println("  " + markdownRow(row));
    }

    void context(String key, Object value) {
        context.put(key, value);
    }

    void note(String note) {
        notes.add(note);
    }

    List<Row> rows() {
        return rows;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| figure | value | baseline (same run) | ratio | target | holds? |\n");
        sb.append("|---|---|---|---|---|---|\n");
        String scenario = null;
        List<Row> byScenario = new ArrayList<>(rows);
        byScenario.sort(java.util.Comparator.comparing(Row::scenario)); // stable: run order within a scenario
        for (Row r : byScenario) {
            if (!r.scenario().equals(scenario)) {
                scenario = r.scenario();
                sb.append("| **").append(scenario).append("** | | | | | |\n");
            }
            sb.append(markdownRow(r)).append('\n');
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (String n : notes) sb.append("- ").append(n).append('\n');
        }
        return sb.toString();
    }

    private static String markdownRow(Row r) {
        double ratio = r.ratio();
        String holds = r.holds() == null ? "" : r.holds() ? "yes" : "**no**";
        return "| " + r.figure() + " | " + r.valueText() + " | " + nz(r.baselineText()) + " | "
                + (Double.isNaN(ratio) ? "" : fmt(ratio, 2) + "×") + " | " + nz(r.target()) + " | " + holds + " |";
    }

    void writeJson(Path file) throws IOException {
        ObjectNode root = Api.JSON.createObjectNode();
        root.set("context", Api.JSON.valueToTree(context));
        ArrayNode arr = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode o = arr.addObject();
            o.put("scenario", r.scenario());
            o.put("figure", r.figure());
            putNumber(o, "value", r.value());
            o.put("unit", r.unit());
            o.put("valueText", r.valueText());
            putNumber(o, "baseline", r.baseline());
            o.put("baselineText", r.baselineText());
            putNumber(o, "ratio", r.ratio());
            o.put("target", r.target());
            if (r.holds() == null) o.putNull("holds");
            else o.put("holds", r.holds());
            if (r.details() != null && !r.details().isEmpty()) o.set("details", Api.JSON.valueToTree(r.details()));
        }
        root.set("notes", Api.JSON.valueToTree(notes));
        Files.createDirectories(file.getParent());
        Files.write(file, Api.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root));
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String fmt(double v, int decimals) {
        if (Double.isNaN(v)) return "n/a";
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** " (+ PostgreSQL 0.25)": the database server's CPU milliseconds beside a server's; empty when not measured. */
    static String plusDatabase(double databaseCpuMs) {
        return Double.isFinite(databaseCpuMs) ? " (+ PostgreSQL " + fmt(databaseCpuMs, 2) + ")" : "";
    }

    /** A rate such as "5,123/s". */
    static String rate(double perSecond) {
        return fmt(perSecond, 0) + "/s";
    }

    /** "p50 1.23 · p99 4.56 ms" from the given percentiles. */
    static String percentiles(Stats s, double... ps) {
        StringBuilder sb = new StringBuilder();
        for (double p : ps) {
            if (sb.length() > 0) sb.append(" · ");
            sb.append("p").append(p == Math.floor(p) ? Integer.toString((int) p) : Double.toString(p)).append(' ')
                    .append(fmt(s.ms(p), s.ms(p) < 10 ? 2 : 1));
        }
        return sb.append(" ms").toString();
    }
}
