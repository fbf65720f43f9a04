package io.hookline.system;

import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The admin key of {@code config.yml}, which every call of the operators' API must carry. */
public final class AdminKey {
    private final byte[] key;

    public AdminKey(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** Compares in constant time so the key cannot be guessed byte by byte. */
    public void check(String given) {
        if (given == null || given.isBlank()) {
            throw new ApiException(ErrorId.MISSING_ACCESS_TOKEN, "Missing admin key in the Authorization header");
        }
        if (!MessageDigest.isEqual(key, given.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(ErrorId.INVALID_ACCESS_TOKEN, "Invalid admin key");
        }
    }
}
