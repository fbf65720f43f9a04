package io.hookline.auth;

import io.hookline.edge.AnswerBudget;
import io.hookline.edge.ErrorBodies;
import io.hookline.edge.Params;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.glassfish.jersey.server.ContainerRequest;

import java.io.InputStream;

/** {@code POST /{username}/}: several method calls in one request, each committed on its own, answered in order. */
@Path("/{username}")
@Produces(MediaType.APPLICATION_JSON)
public final class BatchResource {
    private final MethodCalls calls;
    private final int maxCalls;

    public BatchResource(MethodCalls calls, int maxCalls) {
        this.calls = calls;
        this.maxCalls = maxCalls;
    }

    @POST
    public ObjectNode batch(@Context ContainerRequest r, InputStream body) {
        JsonNode batch = calls.bodies().read(body);
        if (batch == null || !batch.isArray()) {
            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "A batch is a JSON array of {method, params}");
        }
        if (batch.size() > maxCalls) {
            throw new ApiException(ErrorId.INVALID_PARAMETERS_FORMAT,
                    "A batch holds at most " + maxCalls + " calls; this one has " + batch.size());
        }
        Caller caller = calls.authenticate(r);
        AnswerBudget budget = calls.budgetOf(r);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode results = out.putArray("results");
        for (JsonNode call : batch) {
            results.add(run(caller, call, budget));
        }
        return out;
    }

    /**
     * One call; the calls share the request's answer budget, and a failed call's rows are not kept in it. Once the
     * answer is full, the remaining calls are not run: each would start reading rows only to be refused.
     */
    private ObjectNode run(Caller caller, JsonNode call, AnswerBudget budget) {
        if (budget.refusal() != null) return ErrorBodies.body(budget.refusal());
        long mark = budget.mark();
        try {
            if (!call.isObject() || !call.path("method").isTextual()) {
                throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE,
                        "Each batch call must be an object with a \"method\" string and \"params\"");
            }
            return calls.methods().call(caller, call.get("method").asText(), Params.ofJson(call.get("params"))).body();
        } catch (ApiException e) {
            budget.rewind(mark);
            return ErrorBodies.body(e);
        }
    }
}
