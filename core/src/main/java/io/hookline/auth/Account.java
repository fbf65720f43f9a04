package io.hookline.auth;

/** What {@code account.get} shows of a user besides storage figures. */
public record Account(String username, String email, String language) {
}
