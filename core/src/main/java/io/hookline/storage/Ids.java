package io.hookline.storage;

import java.security.SecureRandom;

/** Generates item ids and access tokens in the cuid-like shape Pryv clients are used to ("c" + 24 base-36 chars). */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** A new id: time-ordered prefix for index locality, random tail. */
    public static String newId() {
        StringBuilder sb = new StringBuilder(25).append('c');
        String time = Long.toString(System.currentTimeMillis(), 36);
        sb.append(time);
        while (sb.length() < 25) sb.append(ALPHABET[RANDOM.nextInt(36)]);
        return sb.toString();
    }

    /** A new secret token: 24 random base-36 characters (about 124 bits). */
    public static String newToken() {
        StringBuilder sb = new StringBuilder(25).append('c');
        for (int i = 0; i < 24; i++) sb.append(ALPHABET[RANDOM.nextInt(36)]);
        return sb.toString();
    }
}
