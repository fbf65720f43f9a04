package io.hookline.signin;

import io.hookline.auth.MethodCalls;
import io.hookline.auth.Methods;
import io.hookline.edge.Params;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.InputStream;

/** {@code POST /reg/access/} (an app asks for an access) and {@code GET /reg/access/<key>} (the app polls). */
@Path("/reg/access")
@Produces(MediaType.APPLICATION_JSON)
public final class AccessRequestsResource {
    private final MethodCalls api;
    private final AccessRequests requests;

    public AccessRequestsResource(MethodCalls api, AccessRequests requests) {
        this.api = api;
        this.requests = requests;
    }

    @POST
    public Response create(@Context UriInfo uri, @Context HttpServletRequest http, InputStream body) {
        Params params = Params.ofJson(api.bodies().read(body));
        return Response.status(201).entity(requests.create(params, api.baseUrl(uri), http.getRemoteAddr())).build();
    }

    @GET
    @Path("{key}")
    public Response poll(@PathParam("key") String key, @Context UriInfo uri) {
        Methods.Answer a = requests.poll(key, api.baseUrl(uri));
        return Response.status(a.status()).entity(a.body()).build();
    }
}
