package io.hookline.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the parameters of one API call and collects every problem, so that a client learns all of them at once.
 * Values from a query string arrive as text and are converted to the type asked for; values from a JSON body
 * must already have it. Call {@link #done()} last: it rejects unknown parameters and throws if anything was wrong.
 */
public final class Params {
    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in seconds. */
    static final double MIN_TIME = -62_135_596_800.0;
    static final double MAX_TIME = 253_402_300_799.0;

    private final ObjectNode node;
    private final boolean fromQuery;
    private final Set<String> read = new HashSet<>();
    private final List<Map<String, String>> problems = new ArrayList<>();

    private Params(ObjectNode node, boolean fromQuery) {
        this.node = node;
        this.fromQuery = fromQuery;
    }

    /** Parameters from a JSON body or a batch call; anything but an object (or nothing) is a structure error. */
    public static Params ofJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Params(JsonNodeFactory.instance.objectNode(), false);
        }
        if (!node.isObject()) {
            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "The parameters must be a JSON object");
        }
        return new Params((ObjectNode) node, false);
    }

    /** Parameters converted from a query string: single values are text, repeated ones arrays of text. */
    public static Params ofQuery(ObjectNode node) {
        return new Params(node, true);
    }

    public boolean has(String name) {
        return node.has(name);
    }

    /** True when the parameter is given as JSON {@code null} (meaning "clear it" for nullable fields). */
    public boolean isNull(String name) {
        read.add(name);
        JsonNode v = node.get(name);
        return v != null && v.isNull();
    }

    public Optional<String> string(String name) {
        JsonNode v = value(name);
        if (v == null) return Optional.empty();
        if (!v.isTextual()) return wrong(name, "must be a string");
        return Optional.of(v.asText());
    }

    public String requiredString(String name) {
        if (!node.hasNonNull(name)) {
            read.add(name);
            problem(name, "is required");
            return null;
        }
        return string(name).orElse(null);
    }

    public Optional<Double> number(String name) {
        JsonNode v = value(name);
        if (v == null) return Optional.empty();
        if (v.isNumber()) {
            // 1e999 parses as infinity: no time, duration or delay means that.
            double d = v.asDouble();
            return Double.isFinite(d) ? Optional.of(d) : wrong(name, "must be a finite number");
        }
        if (fromQuery && v.isTextual()) {
            try {
                double d = Double.parseDouble(v.asText());
                if (Double.isFinite(d)) return Optional.of(d);
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        return wrong(name, "must be a number");
    }

    /**
     * A point in time in seconds since the epoch, between the years 1 and 9999: a time outside that range is a
     * client's mistake (milliseconds sent as seconds, {@code 1e300}), and would not survive conversions.
     */
    public Optional<Double> time(String name) {
        return number(name).flatMap(t -> t >= MIN_TIME && t <= MAX_TIME ? Optional.of(t)
                : wrong(name, "must be a time in seconds between " + (long) MIN_TIME + " and " + (long) MAX_TIME));
    }

    /** A length of time in seconds, from 0 to the span of {@link #time} values. */
    public Optional<Double> seconds(String name) {
        return number(name).flatMap(d -> d >= 0 && d <= MAX_TIME - MIN_TIME ? Optional.of(d)
                : wrong(name, "must be between 0 and " + (long) (MAX_TIME - MIN_TIME) + " seconds"));
    }

    public Optional<Integer> integer(String name, int min, int max) {
        return longInteger(name, min, max).map(Long::intValue);
    }

    /** An integer within {@code [min, max]}; any number of digits is read, so a huge value is out of range. */
    public Optional<Long> longInteger(String name, long min, long max) {
        JsonNode v = value(name);
        if (v == null) return Optional.empty();
        BigInteger n;
        if (v.isIntegralNumber()) {
            n = v.bigIntegerValue();
        } else if (fromQuery && v.isTextual() && v.asText().matches("-?\\d{1,1000}")) {
            n = new BigInteger(v.asText());
        } else {
            return wrong(name, "must be an integer");
        }
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            return wrong(name, "must be between " + min + " and " + max);
        }
        return Optional.of(n.longValue());
    }

    public Optional<Boolean> bool(String name) {
        JsonNode v = value(name);
        if (v == null) return Optional.empty();
        if (v.isBoolean()) return Optional.of(v.asBoolean());
        if (fromQuery && v.isTextual()) {
            String t = v.asText();
            if (t.equals("true") || t.equals("1") || t.isEmpty()) return Optional.of(true);
            if (t.equals("false") || t.equals("0")) return Optional.of(false);
        }
        return wrong(name, "must be a boolean");
    }

    /** An array of strings; from a query string a single value counts as a one-element array. */
    public Optional<List<String>> strings(String name) {
        JsonNode v = value(name);
        if (v == null) return Optional.empty();
        if (fromQuery && v.isTextual()) return Optional.of(List.of(v.asText()));
        if (!v.isArray()) return wrong(name, "must be an array of strings");
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual()) return wrong(name, "must be an array of strings");
            out.add(item.asText());
        }
        return Optional.of(out);
    }

    /** A required object parameter, such as the {@code update} of {@code *.update} methods. */
    public ObjectNode requiredObject(String name) {
        ObjectNode v = object(name).orElse(null);
        if (v == null && !node.hasNonNull(name)) problem(name, "is required");
        return v;
    }

    public Optional<ObjectNode> object(String name) {
        JsonNode v = value(name);
        if (v == null) return Optional.empty();
        if (!v.isObject()) return wrong(name, "must be an object");
        return Optional.of((ObjectNode) v);
    }

    /** Any JSON value, {@code null} included. */
    public Optional<JsonNode> json(String name) {
        read.add(name);
        return Optional.ofNullable(node.get(name));
    }

    /** Records a problem found by the caller's own rule, reported with the others by {@link #done()}. */
    public void problem(String name, String message) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("param", name);
        p.put("message", name + " " + message);
        problems.add(p);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** Rejects unknown parameters and throws {@code invalid-parameters-format} listing every problem. */
    public void done() {
        node.fieldNames().forEachRemaining(name -> {
            if (!read.contains(name)) problem(name, "is not a known parameter");
        });
        if (!problems.isEmpty()) {
            String message = problems.size() == 1
                    ? problems.get(0).get("message")
                    : "Invalid parameters: " + problems.size() + " problems";
            throw new ApiException(ErrorId.INVALID_PARAMETERS_FORMAT, message, List.copyOf(problems));
        }
    }

    private JsonNode value(String name) {
        read.add(name);
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private <T> Optional<T> wrong(String name, String message) {
        problem(name, message);
        return Optional.empty();
    }
}
