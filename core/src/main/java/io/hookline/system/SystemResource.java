package io.hookline.system;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.notifier.host.NotifierHost;
import io.hookline.notifier.host.Notifiers;
import io.hookline.auth.AccountsService;
import io.hookline.auth.MethodCalls;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.edge.Params;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.InputStream;

/** The operators' API, protected by the admin key of {@code config.yml}. */
@Path("/system")
@Produces(MediaType.APPLICATION_JSON)
public final class SystemResource {
    private final MethodCalls calls;
    private final AccountsService accounts;
    private final Notifiers notifiers;
    private final AdminKey adminKey;

    public SystemResource(MethodCalls calls, AccountsService accounts, Notifiers notifiers, AdminKey adminKey) {
        this.calls = calls;
        this.accounts = accounts;
        this.notifiers = notifiers;
        this.adminKey = adminKey;
    }

    @POST
    @Path("/create-user")
    public Response createUser(@HeaderParam(HttpHeaders.AUTHORIZATION) String key, @Context UriInfo uri,
                               InputStream body) {
        adminKey.check(key);
        Params params = Params.ofJson(calls.bodies().read(body));
        ObjectNode created = accounts.createUser(params, calls.baseUrl(uri));
        return Response.status(201).entity(created).build();
    }

    /** The loaded notifier plugins: id, version, state, provider, description and the webhook types each delivers. */
    @GET
    @Path("/notifiers")
    public ObjectNode notifiers(@HeaderParam(HttpHeaders.AUTHORIZATION) String key) {
        adminKey.check(key);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("notifiers", plugins(notifiers));
        return out;
    }

    /** The loaded notifier plugins as operators see them (here and in the console). */
    public static ArrayNode plugins(Notifiers notifiers) {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        for (NotifierHost.LoadedPlugin p : notifiers.plugins()) {
            ObjectNode o = arr.addObject().put("id", p.id()).put("version", p.version()).put("state", p.state())
                    .put("provider", p.provider()).put("description", p.description());
            p.types().forEach(o.putArray("types")::add);
        }
        return arr;
    }
}
