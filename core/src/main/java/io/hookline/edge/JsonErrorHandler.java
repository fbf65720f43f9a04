package io.hookline.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.ChangeClock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Errors Jetty answers itself, before a request reaches the API (an ambiguous or malformed URI, for example), get
 * the API's JSON error shape with {@code meta} too, whatever the method (an unknown one such as {@code TRACE}
 * included): Pryv clients read every answer as JSON.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private final ObjectMapper json;
    private final ChangeClock clock;
    private final Meta meta;

    public JsonErrorHandler(ObjectMapper json, ChangeClock clock, Meta meta) {
        this.json = json;
        this.clock = clock;
        this.meta = meta;
    }

    /** Jetty writes error bodies only for GET, POST and HEAD; a {@code DELETE} or a {@code TRACE} needs one too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        ErrorId id = switch (code) {
            case 404 -> ErrorId.UNKNOWN_RESOURCE;
            case 405 -> ErrorId.INVALID_OPERATION;
            case 413 -> ErrorId.REQUEST_TOO_LARGE;
            default -> code >= 500 ? ErrorId.UNEXPECTED_ERROR : ErrorId.INVALID_REQUEST_STRUCTURE;
        };
        String text = code >= 500 ? "Unexpected error" : "Invalid request" + (message == null ? "" : ": " + message);
        ObjectNode body = ErrorBodies.body(id, text, null);
        body.set("meta", meta.at(clock.horizon()));
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            // Some of these end their connection (a malformed request, a body longer than is read after the answer);
            // saying so keeps a client from sending its next request on a connection about to close.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.getHeaders().put("API-Version", Meta.API_VERSION);
            response.getHeaders().put("Access-Control-Allow-Origin", "*");
            response.write(true, ByteBuffer.wrap(bytes), callback);
        } catch (Exception e) {
            callback.failed(e);
        }
    }
}
