package io.hookline.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Every failure becomes a JSON error with a docs/API.md id; nothing else (no HTML page, no stack trace) leaves. */
public final class ErrorMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    private ErrorMappers() {
    }

    public static List<Object> all() {
        return List.of(new Api(), new Json(), new Web(), new Unexpected());
    }

    static final class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return ErrorBodies.response(e);
        }
    }

    static final class Json implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            return ErrorBodies.response(ErrorId.INVALID_REQUEST_STRUCTURE, 400,
                    "The body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static final class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return switch (status) {
                case 404 -> ErrorBodies.response(ErrorId.UNKNOWN_RESOURCE, 404, "No such resource");
                case 405 -> ErrorBodies.response(ErrorId.INVALID_OPERATION, 405, "This method is not allowed here");
                case 413 -> ErrorBodies.response(ErrorId.REQUEST_TOO_LARGE, 413, "The request is too large");
                default -> status >= 500
                        ? new Unexpected().toResponse(e)
                        : ErrorBodies.response(ErrorId.INVALID_REQUEST_STRUCTURE, status, "Invalid request");
            };
        }
    }

    static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            String ref = Long.toHexString(ThreadLocalRandom.current().nextLong());
            LOG.error("Unexpected error {}", ref, e);
            return ErrorBodies.response(ErrorId.UNEXPECTED_ERROR, 500,
                    "Unexpected error (reference " + ref + ")");
        }
    }
}
