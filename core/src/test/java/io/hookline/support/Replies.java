package io.hookline.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions every answer must pass: the docs/API.md envelope, and error ids with their status. */
public final class Replies {
    private Replies() {
    }

    /** {@code meta {apiVersion, serverTime, serial}}, the {@code API-Version} header and CORS. */
    public static ApiClient.Reply enveloped(ApiClient.Reply r) {
        assertThat(r.status()).as("never a 500: %s", r.body()).isLessThan(500);
        JsonNode meta = r.body().path("meta");
        assertThat(meta.path("apiVersion").isTextual()).as("meta.apiVersion in %s", r.body()).isTrue();
        assertThat(meta.path("serverTime").isNumber()).as("meta.serverTime in %s", r.body()).isTrue();
        assertThat(meta.path("serial").isTextual()).as("meta.serial in %s", r.body()).isTrue();
        assertThat(r.header("API-Version")).isEqualTo(meta.path("apiVersion").asText());
        assertThat(r.header("Access-Control-Allow-Origin")).isNotBlank();
        return r;
    }

    /** A success with the given status. */
    public static ApiClient.Reply ok(ApiClient.Reply r, int status) {
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(r.body().has("error")).as("no error in %s", r.body()).isFalse();
        return enveloped(r);
    }

    /** An error with the given status and id, in the docs/API.md shape. */
    public static ApiClient.Reply error(ApiClient.Reply r, int status, String id) {
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(r.errorId()).as("error id in %s", r.body()).isEqualTo(id);
        assertThat(r.body().path("error").path("message").asText()).isNotBlank();
        return enveloped(r);
    }

    /** The ids of an {@code events} (or any) array of objects, in order. */
    public static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path("id").asText()));
        return out;
    }
}
