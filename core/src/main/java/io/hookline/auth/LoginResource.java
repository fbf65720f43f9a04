package io.hookline.auth;

import io.hookline.edge.Params;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.InputStream;

/** {@code POST /{username}/auth/login}: a personal access for an app, in exchange for the password. */
@Path("/{username}/auth/login")
@Produces(MediaType.APPLICATION_JSON)
public final class LoginResource {
    private final MethodCalls calls;
    private final AccountsService accounts;

    public LoginResource(MethodCalls calls, AccountsService accounts) {
        this.calls = calls;
        this.accounts = accounts;
    }

    @POST
    public Response login(@PathParam("username") String username, @Context UriInfo uri, InputStream body) {
        Params params = Params.ofJson(calls.bodies().read(body));
        return Response.ok(accounts.login(username, params, calls.baseUrl(uri))).build();
    }
}
