package io.hookline.storage;

import java.util.List;

/**
 * What one change touched, for scoped webhooks: its kind, the streams involved (an event's streams, a stream and
 * its parents, an access's permitted streams) and an event's type ({@code null} otherwise).
 */
public record Touch(Change kind, List<String> streamIds, String type) {
    public Touch {
        streamIds = List.copyOf(streamIds);
    }
}
