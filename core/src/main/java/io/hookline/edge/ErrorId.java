package io.hookline.edge;

/** The error ids of the contract (docs/API.md section 1), each with the HTTP status it answers with. */
public enum ErrorId {
    INVALID_REQUEST_STRUCTURE("invalid-request-structure", 400),
    INVALID_PARAMETERS_FORMAT("invalid-parameters-format", 400),
    INVALID_METHOD("invalid-method", 404),
    INVALID_ITEM_ID("invalid-item-id", 400),
    INVALID_OPERATION("invalid-operation", 400),
    UNKNOWN_REFERENCED_RESOURCE("unknown-referenced-resource", 400),
    MISSING_ACCESS_TOKEN("invalid-access-token", 401),
    INVALID_ACCESS_TOKEN("invalid-access-token", 403),
    INVALID_CREDENTIALS("invalid-credentials", 401),
    FORBIDDEN("forbidden", 403),
    UNKNOWN_RESOURCE("unknown-resource", 404),
    ITEM_ALREADY_EXISTS("item-already-exists", 409),
    TOO_MANY_RESULTS("too-many-results", 413),
    REQUEST_TOO_LARGE("request-too-large", 413),
    TOO_MANY_REQUESTS("too-many-requests", 429),
    UNEXPECTED_ERROR("unexpected-error", 500);

    private final String id;
    private final int status;

    ErrorId(String id, int status) {
        this.id = id;
        this.status = status;
    }

    public String id() {
        return id;
    }

    public int status() {
        return status;
    }
}
