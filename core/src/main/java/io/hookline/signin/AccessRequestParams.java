package io.hookline.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.Level;
import io.hookline.edge.Params;

import java.net.URI;

import java.util.Iterator;
import java.util.Set;

/** Reads and normalises an app's access request; every problem is reported at once, as for API methods. */
final class AccessRequestParams {
    private static final Set<String> PERMISSION_KEYS = Set.of("streamId", "level", "defaultName");
    private static final int MAX_PERMISSIONS = 100;

    private AccessRequestParams() {
    }

    static ObjectNode read(Params p) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String appId = p.requiredString("requestingAppId");
        if (appId != null && (appId.isBlank() || appId.length() > 200)) {
            p.problem("requestingAppId", "must be 1 to 200 characters");
        }
        out.put("requestingAppId", appId);
        out.set("requestedPermissions", permissions(p));
        p.string("languageCode").ifPresent(v -> out.put("languageCode", v));
        p.string("deviceName").ifPresent(v -> out.put("deviceName", v));
        p.object("clientData").ifPresent(v -> out.set("clientData", v));
        // The pryv library sends returnURL false when the sign-in page opens in a pop-up.
        p.json("returnURL").ifPresent(v -> {
            if (v.isTextual() && isWebUrl(v.asText())) {
                out.put("returnURL", v.asText());
            } else if (!(v.isBoolean() && !v.asBoolean()) && !v.isNull()) {
                p.problem("returnURL", "must be an http(s) URL, or false for a pop-up");
            }
        });
        p.string("referer"); // sent by some apps to track where users come from; not kept
        p.done();
        return out;
    }

    private static ArrayNode permissions(Params p) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        JsonNode raw = p.json("requestedPermissions").orElse(null);
        if (raw == null || raw.isNull()) {
            p.problem("requestedPermissions", "is required");
            return out;
        }
        if (!raw.isArray() || raw.isEmpty() || raw.size() > MAX_PERMISSIONS) {
            p.problem("requestedPermissions", "must be an array of 1 to " + MAX_PERMISSIONS
                    + " {streamId, level, defaultName?}");
            return out;
        }
        for (JsonNode n : raw) {
            if (!n.isObject() || !n.path("streamId").isTextual() || n.get("streamId").asText().isEmpty()
                    || !isLevel(n.path("level")) || !onlyKnownTextKeys(n)) {
                p.problem("requestedPermissions", "must hold objects of {streamId, level, defaultName?} with level"
                        + " read, create-only, contribute or manage");
                continue;
            }
            out.add(n.deepCopy());
        }
        return out;
    }

    private static boolean onlyKnownTextKeys(JsonNode n) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!PERMISSION_KEYS.contains(key) || !n.get(key).isTextual()) return false;
        }
        return true;
    }

    /** True for an http(s) URL with a host: where the page may send the user back. */
    private static boolean isWebUrl(String s) {
        try {
            URI u = URI.create(s);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isLevel(JsonNode n) {
        return n.isTextual() && Level.fromWire(n.asText()).isPresent();
    }
}
