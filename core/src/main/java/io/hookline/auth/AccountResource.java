package io.hookline.auth;

import io.hookline.edge.Api;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.ContainerRequest;

import java.io.InputStream;

@Path("/{username}/account")
@Produces(MediaType.APPLICATION_JSON)
public final class AccountResource {
    private final Api api;

    public AccountResource(Api api) {
        this.api = api;
    }

    @GET
    public Response get(@Context ContainerRequest r) {
        return api.query(r, "account.get", null);
    }

    @PUT
    public Response update(@Context ContainerRequest r, InputStream body) {
        return api.update(r, "account.update", null, body);
    }

    @POST
    @Path("/change-password")
    public Response changePassword(@Context ContainerRequest r, InputStream body) {
        return api.body(r, "account.changePassword", body);
    }
}
