package io.hookline.auth;

import java.util.Optional;

/** The three kinds of access: the owner's own, an app's, and one shared with a third party. */
public enum AccessType {
    PERSONAL("personal"), APP("app"), SHARED("shared");

    private final String wire;

    AccessType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<AccessType> fromWire(String s) {
        for (AccessType t : values()) {
            if (t.wire.equals(s)) return Optional.of(t);
        }
        return Optional.empty();
    }
}
