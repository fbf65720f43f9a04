package io.hookline.auth;

import io.hookline.edge.Params;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** The API's methods by id ("events.create", ...): the one place REST resources and batch calls dispatch through. */
public final class Methods {
    private record Entry(ApiMethod method, int status) {
    }

    /** An answer: its HTTP status and body. */
    public record Answer(int status, ObjectNode body) {
    }

    private final Map<String, Entry> byId = new LinkedHashMap<>();

    public Methods register(String id, ApiMethod method) {
        return register(id, 200, method);
    }

    public Methods register(String id, int successStatus, ApiMethod method) {
        if (byId.putIfAbsent(id, new Entry(method, successStatus)) != null) {
            throw new IllegalStateException("Method registered twice: " + id);
        }
        return this;
    }

    public Answer call(Caller caller, String id, Params params) {
        Entry e = byId.get(id);
        if (e == null) {
            throw new ApiException(ErrorId.INVALID_METHOD, "Invalid method id \"" + id + "\"");
        }
        return new Answer(e.status, e.method.call(caller, params));
    }
}
