package io.hookline.auth;

/** An account. */
public record User(long id, String username) {
}
