package io.hookline.plugins.signedhttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.InvalidSettingsException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a {@code signed-http} webhook, as stored:
 * <pre>
 * {"secret": "whsec_...",                                          the secret signing now
 *  "previousSecrets": [{"secret": "whsec_...", "expires": 1764316800}]}   still signing until expires (seconds),
 *                                                                          newest first; absent when none
 * </pre>
 * What a client may send: at create, nothing (a secret is generated) or {@code {"secret": "whsec_..."}}; at update,
 * {@code {"rotateSecret": true}} (a new secret is generated, the current one keeps signing until now + overlap), or
 * {@code {"secret": "whsec_..."}} with a different secret (the same rotation, to that secret). Sending back the
 * stored settings unchanged is accepted and changes nothing.
 */
final class SecretSettings {
    static final String SECRET = "secret";
    static final String PREVIOUS = "previousSecrets";
    static final String EXPIRES = "expires";
    static final String ROTATE = "rotateSecret";
    static final String SECRET_PREFIX_FIELD = "secretPrefix";
    /** Characters of a secret shown to accesses that do not own the webhook: "whsec_" and 4 of the key. */
    static final int SHOWN_PREFIX = 10;
    /**
     * Previous secrets kept at most: rotating again during an overlap keeps the older ones signing too (a receiver
     * may not have switched yet), but each costs an HMAC and header space on every delivery.
     */
    static final int MAX_PREVIOUS = 5;

    private static final Set<String> ON_CREATE = Set.of(SECRET);
    private static final Set<String> ON_UPDATE = Set.of(SECRET, ROTATE, PREVIOUS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SecretSettings() {
    }

    /** Settings for a new webhook. */
    static ObjectNode create(ObjectNode requested) throws InvalidSettingsException {
        checkKeys(requested, ON_CREATE, "at creation");
        String secret = requested != null && requested.has(SECRET)
                ? validSecret(requested.get(SECRET))
                : StandardWebhooks.newSecret();
        return NODES.objectNode().put(SECRET, secret);
    }

    /** Settings after an update; expired previous secrets are dropped. */
    static ObjectNode update(ObjectNode requested, ObjectNode current, Instant now, Duration overlap)
            throws InvalidSettingsException {
        checkKeys(requested, ON_UPDATE, "");
        String secret = storedSecret(current);
        List<Previous> previous = livePrevious(current, now);
        String next = requested == null ? null : nextSecret(requested, current, secret);
        // Nothing valid stored (settings written by hand or by an old version): start afresh, nothing to overlap.
        if (secret == null) return build(next != null ? next : StandardWebhooks.newSecret(), previous);
        if (next == null) return build(secret, previous);

        List<Previous> rotated = new ArrayList<>();
        // An overlap of zero means no overlap: the previous secret stops signing at once.
        if (!overlap.isZero() && !overlap.isNegative()) {
            rotated.add(new Previous(secret, now.plus(overlap).getEpochSecond()));
        }
        rotated.addAll(previous);
        return build(next, rotated.size() > MAX_PREVIOUS ? rotated.subList(0, MAX_PREVIOUS) : rotated);
    }

    /** The secret an update asks to rotate to, or null when it asks for no rotation. */
    private static String nextSecret(ObjectNode requested, ObjectNode current, String secret)
            throws InvalidSettingsException {
        if (requested.has(PREVIOUS) && !sameList(requested.get(PREVIOUS), current.get(PREVIOUS))) {
            throw new InvalidSettingsException(
                    "settings.previousSecrets is kept by the server; send {\"rotateSecret\": true} to rotate");
        }
        boolean rotate = false;
        if (requested.has(ROTATE)) {
            JsonNode r = requested.get(ROTATE);
            if (!r.isBoolean()) throw new InvalidSettingsException("settings.rotateSecret must be true or false");
            rotate = r.booleanValue();
        }
        if (requested.has(SECRET)) {
            String given = validSecret(requested.get(SECRET));
            if (!given.equals(secret)) return given;
            if (rotate) {
                throw new InvalidSettingsException("settings.secret must differ from the current secret to rotate it");
            }
            return null;  // the stored secret sent back unchanged
        }
        return rotate ? StandardWebhooks.newSecret() : null;
    }

    /** The keys to sign with at {@code now}: the current secret's, then each previous one not yet expired. */
    static List<byte[]> signingKeys(ObjectNode settings, Instant now) {
        String secret = storedSecret(settings);
        if (secret == null) {
            throw new IllegalStateException("The webhook's settings hold no valid secret; update its settings");
        }
        List<byte[]> keys = new ArrayList<>();
        keys.add(StandardWebhooks.key(secret));
        for (Previous p : livePrevious(settings, now)) keys.add(StandardWebhooks.key(p.secret));
        return keys;
    }

    /** The settings without any secret: a prefix of each, enough to tell them apart. */
    static ObjectNode redact(ObjectNode settings) {
        ObjectNode shown = NODES.objectNode();
        if (settings == null) return shown;
        JsonNode secret = settings.get(SECRET);
        if (secret != null && secret.isTextual()) shown.put(SECRET_PREFIX_FIELD, prefix(secret.asText()));
        JsonNode previous = settings.get(PREVIOUS);
        if (previous != null && previous.isArray() && !previous.isEmpty()) {
            ArrayNode list = shown.putArray(PREVIOUS);
            for (JsonNode p : previous) {
                ObjectNode item = list.addObject();
                if (p.path(SECRET).isTextual()) item.put(SECRET_PREFIX_FIELD, prefix(p.get(SECRET).asText()));
                if (p.has(EXPIRES)) item.set(EXPIRES, p.get(EXPIRES));
            }
        }
        return shown;
    }

    // ---------------------------------------------------------------------------------------------------------

    private record Previous(String secret, long expires) {
    }

    private static void checkKeys(ObjectNode requested, Set<String> known, String when)
            throws InvalidSettingsException {
        if (requested == null) return;
        for (Map.Entry<String, JsonNode> field : requested.properties()) {
            String key = field.getKey();
            if (known.contains(key)) continue;
            if (key.equals(ROTATE)) {
                throw new InvalidSettingsException("settings.rotateSecret applies to an existing webhook; "
                        + "a new one gets a new secret");
            }
            throw new InvalidSettingsException("unknown setting \"" + key + "\"" + (when.isEmpty() ? "" : " " + when)
                    + "; known: " + String.join(", ", known.stream().sorted().toList()));
        }
    }

    private static String validSecret(JsonNode value) throws InvalidSettingsException {
        if (!value.isTextual()) throw new InvalidSettingsException("settings.secret must be a string");
        try {
            StandardWebhooks.key(value.asText());
            return value.asText();
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("settings." + e.getMessage());
        }
    }

    /** The stored secret, or null when it is missing or invalid (settings written by hand or by an old version). */
    private static String storedSecret(ObjectNode settings) {
        JsonNode s = settings == null ? null : settings.get(SECRET);
        if (s == null || !s.isTextual()) return null;
        try {
            StandardWebhooks.key(s.asText());
            return s.asText();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The previous secrets still signing at {@code now} (expires after it), valid ones only, in stored order. */
    private static List<Previous> livePrevious(ObjectNode settings, Instant now) {
        List<Previous> live = new ArrayList<>();
        JsonNode list = settings == null ? null : settings.get(PREVIOUS);
        if (list == null || !list.isArray()) return live;
        for (JsonNode p : list) {
            JsonNode secret = p.get(SECRET);
            JsonNode expires = p.get(EXPIRES);
            if (secret == null || !secret.isTextual() || expires == null || !expires.isNumber()) continue;
            if (expires.asLong() <= now.getEpochSecond()) continue;
            try {
                StandardWebhooks.key(secret.asText());
            } catch (IllegalArgumentException e) {
                continue;
            }
            live.add(new Previous(secret.asText(), expires.asLong()));
        }
        return live;
    }

    /**
     * Whether a previousSecrets list sent by a client is the stored one: same secrets and expiries in the same order,
     * whatever the field order or number type (a stored long reads back as an int).
     */
    private static boolean sameList(JsonNode sent, JsonNode stored) {
        JsonNode a = sent == null || sent.isNull() ? JsonNodeFactory.instance.arrayNode() : sent;
        JsonNode b = stored == null || stored.isNull() ? JsonNodeFactory.instance.arrayNode() : stored;
        if (!a.isArray() || !b.isArray() || a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            JsonNode x = a.get(i);
            JsonNode y = b.get(i);
            if (!x.path(SECRET).isTextual() || !x.path(SECRET).equals(y.path(SECRET))) return false;
            if (!x.path(EXPIRES).isNumber() || !y.path(EXPIRES).isNumber()
                    || x.get(EXPIRES).asLong() != y.get(EXPIRES).asLong() || x.size() != 2) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode build(String secret, List<Previous> previous) {
        ObjectNode settings = NODES.objectNode().put(SECRET, secret);
        if (!previous.isEmpty()) {
            ArrayNode list = settings.putArray(PREVIOUS);
            for (Previous p : previous) list.addObject().put(SECRET, p.secret).put(EXPIRES, p.expires);
        }
        return settings;
    }

    private static String prefix(String secret) {
        return secret.substring(0, Math.min(SHOWN_PREFIX, secret.length()));
    }
}
