package io.hookline.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What one access may do on each stream of its account. A permission on a stream applies to its descendants; the
 * most specific permission wins; "*" applies where nothing more specific does. A personal access manages everything.
 */
public final class StreamAccess {
    private final Access access;
    private final Map<String, Level> byStream = new HashMap<>();
    private final Level everywhere;
    private final UnaryOperator<String> parentOf;

    /** @param parentOf the parent id of a stream, {@code null} for a root stream */
    public StreamAccess(Access access, UnaryOperator<String> parentOf) {
        this.access = access;
        this.parentOf = parentOf;
        Level all = null;
        for (Permission p : access.permissions()) {
            if (Permission.ALL_STREAMS.equals(p.streamId())) {
                all = p.level();
            } else {
                byStream.put(p.streamId(), p.level());
            }
        }
        this.everywhere = access.isPersonal() ? Level.MANAGE : all;
    }

    /** The level this access has on a stream, if any. */
    public Optional<Level> levelOn(String streamId) {
        if (access.isPersonal()) return Optional.of(Level.MANAGE);
        String id = streamId;
        int guard = 0;
        while (id != null && guard++ < 10_000) {
            Level l = byStream.get(id);
            if (l != null) return Optional.of(l);
            id = parentOf.apply(id);
        }
        return Optional.ofNullable(everywhere);
    }

    /** The level that applies to root-level operations (creating a root stream). */
    public Optional<Level> levelOnRoot() {
        return Optional.ofNullable(everywhere);
    }

    public boolean canReadEvents(String streamId) {
        return levelOn(streamId).map(Level::canReadEvents).orElse(false);
    }

    public boolean canCreateEvents(String streamId) {
        return levelOn(streamId).map(Level::canCreateEvents).orElse(false);
    }

    public boolean canContribute(String streamId) {
        return levelOn(streamId).map(Level::canContribute).orElse(false);
    }

    public boolean canManage(String streamId) {
        return levelOn(streamId).map(Level::canManage).orElse(false);
    }

    /** Whether the stream is visible at all (any level, create-only included). */
    public boolean canSee(String streamId) {
        return levelOn(streamId).isPresent();
    }

    /** True when no stream restriction applies to reading events (personal, or read on "*" with no narrower rule). */
    public boolean readsEverything() {
        if (access.isPersonal()) return true;
        return everywhere != null && everywhere.canReadEvents()
                && byStream.values().stream().allMatch(Level::canReadEvents);
    }
}
