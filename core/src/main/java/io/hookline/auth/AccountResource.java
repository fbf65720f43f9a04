package io.hookline.auth;

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
    private final MethodCalls calls;

    public AccountResource(MethodCalls calls) {
        this.calls = calls;
    }

    @GET
    public Response get(@Context ContainerRequest r) {
        return calls.query(r, "account.get", null);
    }

    @PUT
    public Response update(@Context ContainerRequest r, InputStream body) {
        return calls.update(r, "account.update", null, body);
    }

    @POST
    @Path("/change-password")
    public Response changePassword(@Context ContainerRequest r, InputStream body) {
        return calls.body(r, "account.changePassword", body);
    }
}
