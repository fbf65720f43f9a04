package io.hookline.auth;

/** One stream permission of an access; {@code streamId} "*" means every stream. */
public record Permission(String streamId, Level level) {
    public static final String ALL_STREAMS = "*";
}
