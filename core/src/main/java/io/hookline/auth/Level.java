package io.hookline.auth;

import java.util.Optional;

/** A permission level on a stream. {@code create-only} may create events without reading them. */
public enum Level {
    READ("read"), CREATE_ONLY("create-only"), CONTRIBUTE("contribute"), MANAGE("manage");

    private final String wire;

    Level(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<Level> fromWire(String s) {
        for (Level l : values()) {
            if (l.wire.equals(s)) return Optional.of(l);
        }
        return Optional.empty();
    }

    public boolean canReadEvents() {
        return this != CREATE_ONLY;
    }

    public boolean canCreateEvents() {
        return this != READ;
    }

    public boolean canContribute() {
        return this == CONTRIBUTE || this == MANAGE;
    }

    public boolean canManage() {
        return this == MANAGE;
    }

    /** Whether an access holding this level may grant {@code other} to an access it creates ("at or below its own"). */
    public boolean covers(Level other) {
        return switch (this) {
            case MANAGE -> true;
            case CONTRIBUTE -> other != MANAGE;
            case CREATE_ONLY -> other == CREATE_ONLY;
            case READ -> other == READ;
        };
    }
}
