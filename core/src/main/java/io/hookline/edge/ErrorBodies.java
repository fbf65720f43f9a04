package io.hookline.edge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.Json;
import jakarta.ws.rs.core.Response;

/** Builds {@code {"error": {id, message, data}}} bodies; the envelope filter adds {@code meta}. */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    public static ObjectNode body(ErrorId id, String message, Object data) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ObjectNode e = o.putObject("error");
        e.put("id", id.id());
        e.put("message", message);
        if (data != null) e.set("data", Json.mapper().valueToTree(data));
        return o;
    }

    public static ObjectNode body(ApiException e) {
        return body(e.errorId(), e.getMessage(), e.data());
    }

    public static Response response(ErrorId id, int status, String message) {
        return Response.status(status).entity(body(id, message, null)).build();
    }

    public static Response response(ApiException e) {
        Response.ResponseBuilder r = Response.status(e.errorId().status()).entity(body(e));
        if (e instanceof TooManyRequests t) r.header("Retry-After", t.retryAfterSeconds());
        return r.build();
    }
}
