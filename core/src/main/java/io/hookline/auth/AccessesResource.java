package io.hookline.auth;

import io.hookline.edge.Api;
import io.hookline.edge.UserRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;

@Path("/{username}")
@Produces(MediaType.APPLICATION_JSON)
public final class AccessesResource {
    private final Api api;

    public AccessesResource(Api api) {
        this.api = api;
    }

    @GET
    @Path("/accesses")
    public Response get(@BeanParam UserRequest r) {
        return api.query(r, "accesses.get", null);
    }

    @POST
    @Path("/accesses")
    public Response create(@BeanParam UserRequest r, InputStream body) {
        return api.body(r, "accesses.create", body);
    }

    @DELETE
    @Path("/accesses/{id}")
    public Response delete(@BeanParam UserRequest r, @PathParam("id") String id) {
        return api.query(r, "accesses.delete", id);
    }

    @GET
    @Path("/access-info")
    public Response info(@BeanParam UserRequest r) {
        return api.query(r, "getAccessInfo", null);
    }
}
