package io.hookline.edge;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Finds the access token: bare {@code Authorization}, {@code Authorization: Basic base64(token:)}, or {@code ?auth=}. */
public final class Tokens {
    private Tokens() {
    }

    public static String from(HttpHeaders headers, UriInfo uri) {
        String header = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && !header.isBlank()) {
            String h = header.trim();
            if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    return colon >= 0 ? decoded.substring(0, colon) : decoded;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            return h;
        }
        String q = uri.getQueryParameters().getFirst("auth");
        return q == null || q.isBlank() ? null : q;
    }
}
