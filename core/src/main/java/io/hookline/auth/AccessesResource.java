package io.hookline.auth;

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
    private final MethodCalls calls;

    public AccessesResource(MethodCalls calls) {
        this.calls = calls;
    }

    @GET
    @Path("/accesses")
    public Response get(@Context ContainerRequest r) {
        return calls.query(r, "accesses.get", null);
    }

    @POST
    @Path("/accesses")
    public Response create(@Context ContainerRequest r, InputStream body) {
        return calls.body(r, "accesses.create", body);
    }

    @POST
    @Path("/accesses/check-app")
    public Response checkApp(@Context ContainerRequest r, InputStream body) {
        return calls.body(r, "accesses.checkApp", body);
    }

    @POST
    @Path("/auth/logout")
    public Response logout(@Context ContainerRequest r, InputStream body) {
        return calls.body(r, "auth.logout", body);
    }

    @DELETE
    @Path("/accesses/{id}")
    public Response delete(@Context ContainerRequest r, @PathParam("id") String id) {
        return calls.query(r, "accesses.delete", id);
    }

    @GET
    @Path("/access-info")
    public Response info(@Context ContainerRequest r) {
        return calls.query(r, "getAccessInfo", null);
    }
}
