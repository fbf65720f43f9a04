package io.hookline.data;

import java.util.List;

/**
 * A validated {@code events.get}: {@code streamIds} null means no stream restriction; types may end in "/*".
 * Times are float seconds except {@code modifiedSince}, in microseconds.
 */
public record EventQuery(
        List<String> streamIds,
        List<String> types,
        Double fromTime,
        Double toTime,
        Long modifiedSince,
        boolean includeDeletions,
        State state,
        boolean sortAscending,
        int skip,
        int limit) {

    public enum State { DEFAULT, TRASHED, ALL }
}
