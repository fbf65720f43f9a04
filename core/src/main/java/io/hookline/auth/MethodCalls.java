package io.hookline.auth;

import io.hookline.edge.AnswerBudget;
import io.hookline.edge.AnswerMemory;
import io.hookline.edge.JsonBody;
import io.hookline.edge.Params;
import io.hookline.edge.QueryParams;
import io.hookline.edge.ApiException;
import io.hookline.edge.RequestAttributes;
import io.hookline.edge.Tokens;
import io.hookline.edge.ErrorId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.glassfish.jersey.server.ContainerRequest;

import java.io.InputStream;
import java.util.Map;

/**
 * What every user-scoped resource does: authenticate, build the method's parameters from the path, query and body,
 * call the method, and answer with its status. Resources only say which method and where its parameters come from.
 */
public final class MethodCalls {
    private final Authenticator authenticator;
    private final Methods methods;
    private final JsonBody bodies;
    private final String publicUrl;
    private final AnswerMemory answers;

    public MethodCalls(Authenticator authenticator, Methods methods, JsonBody bodies, String publicUrl,
                       AnswerMemory answers) {
        this.authenticator = authenticator;
        this.answers = answers;
        this.methods = methods;
        this.bodies = bodies;
        this.publicUrl = publicUrl == null || publicUrl.isEmpty() ? null
                : (publicUrl.endsWith("/") ? publicUrl : publicUrl + "/");
    }

    public Methods methods() {
        return methods;
    }

    public JsonBody bodies() {
        return bodies;
    }

    public String baseUrl(UriInfo uri) {
        return publicUrl != null ? publicUrl : uri.getBaseUri().toString();
    }

    /**
     * Authenticates the caller of a request on {@code /{username}/...}. The request is Jersey's own: injecting it
     * costs nothing, where a {@code @BeanParam} was built by reflection on every call.
     */
    public Caller authenticate(ContainerRequest r) {
        UriInfo uri = r.getUriInfo();
        String username = uri.getPathParameters().getFirst("username");
        Caller caller = authenticator.authenticate(username, Tokens.from(r, uri), baseUrl(uri));
        r.setProperty(RequestAttributes.ACCESS_ID, caller.access().id());
        return caller.withBudget(budgetOf(r));
    }

    /** The request's answer budget, made at its first use and released by {@link AnswerRelease} once it is written. */
    public AnswerBudget budgetOf(ContainerRequest r) {
        if (r.getProperty(RequestAttributes.ANSWER_BUDGET) instanceof AnswerBudget b) return b;
        AnswerBudget b = answers.newBudget();
        r.setProperty(RequestAttributes.ANSWER_BUDGET, b);
        return b;
    }

    /** A call whose parameters are the query string (reads and deletes), plus an optional id from the path. */
    public Response query(ContainerRequest r, String method, String id) {
        return queryWith(r, method, id == null ? Map.of() : Map.of("id", id));
    }

    /** A call whose parameters are the query string plus values from the path (e.g. {@code id} and {@code fileId}). */
    public Response queryWith(ContainerRequest r, String method, Map<String, String> fromPath) {
        ObjectNode params = QueryParams.of(r.getUriInfo().getQueryParameters());
        fromPath.forEach(params::put);
        return call(r, method, Params.ofQuery(params));
    }

    /** A call whose parameters are the JSON body (creates). */
    public Response body(ContainerRequest r, String method, InputStream body) {
        return call(r, method, Params.ofJson(bodies.read(body)));
    }

    /** An update: {@code {id, update: <body>}}, or {@code {update: <body>}} when {@code id} is null. */
    public Response update(ContainerRequest r, String method, String id, InputStream body) {
        JsonNode update = bodies.read(body);
        if (update == null || !update.isObject()) {
            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "The body must be a JSON object of the fields to change");
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        if (id != null) params.put("id", id);
        params.set("update", update);
        return call(r, method, Params.ofJson(params));
    }

    private Response call(ContainerRequest r, String method, Params params) {
        Caller caller = authenticate(r);
        Methods.Answer a = methods.call(caller, method, params);
        return Response.status(a.status()).entity(a.body()).build();
    }
}
