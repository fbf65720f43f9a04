package io.hookline.plugins.signedhttp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
 * {@code id + "." + timestamp + "." + body}, the signature {@code v1,} + base64(HMAC-SHA256(key, content)), where the
 * key is the base64-decoded part of a {@code whsec_} secret.
 */
public final class StandardWebhooks {
    public static final String SECRET_PREFIX = "whsec_";
    /** Key sizes the specification allows, in bytes. */
    public static final int MIN_KEY_BYTES = 24;
    public static final int MAX_KEY_BYTES = 64;
    /** Size of the keys Hookline generates. */
    public static final int GENERATED_KEY_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private StandardWebhooks() {
    }

    /** A new {@code whsec_} secret of {@value #GENERATED_KEY_BYTES} random bytes. */
    public static String newSecret() {
        byte[] key = new byte[GENERATED_KEY_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The key of a {@code whsec_} secret.
     *
     * @throws IllegalArgumentException with a message fit for the client when the secret is malformed or its key is
     *                                  not {@value #MIN_KEY_BYTES} to {@value #MAX_KEY_BYTES} bytes long
     */
    public static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("secret must start with \"" + SECRET_PREFIX + "\"");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret must be \"" + SECRET_PREFIX + "\" followed by base64");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("secret must hold " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                    + " random bytes (base64-encoded after \"" + SECRET_PREFIX + "\"); it holds " + key.length);
        }
        return key;
    }

    /** One signature, {@code v1,<base64>}. */
    public static String sign(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The {@code webhook-signature} header: one signature per key, separated by spaces. */
    public static String signatureHeader(List<byte[]> keys, String id, long timestamp, byte[] body) {
        return keys.stream().map(k -> sign(k, id, timestamp, body)).collect(Collectors.joining(" "));
    }
}
