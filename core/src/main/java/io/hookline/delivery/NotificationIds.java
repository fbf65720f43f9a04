package io.hookline.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The id a notification is sent with ({@code webhook-id} of signed deliveries). A receiver drops a message whose id
 * it has seen, so a retry of the same messages keeps its id, and messages merged into a retry make it a new message
 * with a new id. The id is derived from the webhook's stored seed (kept until a delivery succeeds) and the messages
 * carried, so nothing more needs storing to tell the two apart.
 */
final class NotificationIds {
    private NotificationIds() {
    }

    static String of(String seed, List<String> messages) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(seed.getBytes(StandardCharsets.UTF_8));
        for (String m : messages) {
            sha.update((byte) 0);
            sha.update(m.getBytes(StandardCharsets.UTF_8));
        }
        byte[] digest = sha.digest();
        return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27);
    }
}
