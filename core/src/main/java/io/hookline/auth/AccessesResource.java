package io.hookline.auth;

import io.hookline.edge.Api;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.ContainerRequest;

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
    public Response get(@Context ContainerRequest r) {
        return api.query(r, "accesses.get", null);
    }

    @POST
    @Path("/accesses")
    public Response create(@Context ContainerRequest r, InputStream body) {
        return api.body(r, "accesses.create", body);
    }

    @POST
    @Path("/accesses/check-app")
    public Response checkApp(@Context ContainerRequest r, InputStream body) {
        return api.body(r, "accesses.checkApp", body);
    }

    @POST
    @Path("/auth/logout")
    public Response logout(@Context ContainerRequest r, InputStream body) {
        return api.body(r, "auth.logout", body);
    }

    @DELETE
    @Path("/accesses/{id}")
    public Response delete(@Context ContainerRequest r, @PathParam("id") String id) {
        return api.query(r, "accesses.delete", id);
    }

    @GET
    @Path("/access-info")
    public Response info(@Context ContainerRequest r) {
        return api.query(r, "getAccessInfo", null);
    }
}
