package io.hookline.auth;

import io.hookline.edge.Params;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One method of the API, callable over REST and in batch calls alike. */
@FunctionalInterface
public interface ApiMethod {
    /** Runs the method for {@code caller} and returns the body of its answer (without {@code meta}). */
    ObjectNode call(Caller caller, Params params);
}
