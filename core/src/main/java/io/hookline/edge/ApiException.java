package io.hookline.edge;

/**
 * A failure the client caused or must know about, rendered as {@code {"error": {id, message, data}}}.
 * Thrown anywhere below a resource; the edge maps it to its status.
 */
public class ApiException extends RuntimeException {
    private final ErrorId errorId;
    private final transient Object data;

    public ApiException(ErrorId errorId, String message) {
        this(errorId, message, null);
    }

    public ApiException(ErrorId errorId, String message, Object data) {
        super(message, null, false, false);
        this.errorId = errorId;
        this.data = data;
    }

    public ErrorId errorId() {
        return errorId;
    }

    public Object data() {
        return data;
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ErrorId.FORBIDDEN, message);
    }

    public static ApiException invalidParameters(String message) {
        return new ApiException(ErrorId.INVALID_PARAMETERS_FORMAT, message);
    }

    public static ApiException unknownResource(String kind, String id) {
        return new ApiException(ErrorId.UNKNOWN_RESOURCE, "Unknown " + kind + " \"" + id + "\"");
    }
}
