package io.hookline.webhooks;

import io.hookline.auth.MethodCalls;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.ContainerRequest;

import java.io.InputStream;

@Path("/{username}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public final class WebhooksResource {
    private final MethodCalls calls;

    public WebhooksResource(MethodCalls calls) {
        this.calls = calls;
    }

    @GET
    public Response get(@Context ContainerRequest r) {
        return calls.query(r, "webhooks.get", null);
    }

    @POST
    public Response create(@Context ContainerRequest r, InputStream body) {
        return calls.body(r, "webhooks.create", body);
    }

    @GET
    @Path("/{id}")
    public Response getOne(@Context ContainerRequest r, @PathParam("id") String id) {
        return calls.query(r, "webhooks.getOne", id);
    }

    @PUT
    @Path("/{id}")
    public Response update(@Context ContainerRequest r, @PathParam("id") String id, InputStream body) {
        return calls.update(r, "webhooks.update", id, body);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Context ContainerRequest r, @PathParam("id") String id) {
        return calls.query(r, "webhooks.delete", id);
    }

    @GET
    @Path("/{id}/attempts")
    public Response attempts(@Context ContainerRequest r, @PathParam("id") String id) {
        return calls.query(r, "webhooks.getAttempts", id);
    }

    @POST
    @Path("/{id}/test")
    public Response test(@Context ContainerRequest r, @PathParam("id") String id) {
        return calls.query(r, "webhooks.test", id);
    }
}
