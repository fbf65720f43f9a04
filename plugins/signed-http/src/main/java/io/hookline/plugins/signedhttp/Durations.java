package io.hookline.plugins.signedhttp;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a duration from configuration: seconds, ISO-8601 ({@code PT24H}, {@code P1D}) or {@code 24 hours}. */
final class Durations {
    // The style Dropwizard uses elsewhere in config.yml (maxBackoff: 1 hour), so operators need not switch.
    private static final Pattern WORDS = Pattern.compile(
            "(\\d+)\\s*(s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)");

    private Durations() {
    }

    static Duration parse(String name, JsonNode value) {
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        Duration d;
        if (value.isNumber()) {
            d = seconds(name, value.decimalValue());
        } else if (value.isTextual()) {
            d = parse(name, value.asText().trim());
        } else {
            throw new IllegalArgumentException(name + " must be seconds or a duration such as PT24H or \"24 hours\"");
        }
        if (d.isNegative()) throw new IllegalArgumentException(name + " must not be negative");
        return d;
    }

    private static Duration parse(String name, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.matches("\\d+(\\.\\d+)?")) return seconds(name, new BigDecimal(t));
        if (t.startsWith("p")) {
            try {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + ": \"" + text + "\" is not an ISO-8601 duration such as PT24H");
            }
        }
        Matcher m = WORDS.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(name + ": \"" + text
                    + "\" is not seconds, an ISO-8601 duration (PT24H) or a number with a unit (24 hours)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).charAt(0)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static Duration seconds(String name, BigDecimal seconds) {
        if (seconds.signum() < 0) throw new IllegalArgumentException(name + " must not be negative");
        return Duration.ofMillis(seconds.movePointRight(3).longValue());
    }
}
