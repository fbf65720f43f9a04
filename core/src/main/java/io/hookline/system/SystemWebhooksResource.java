package io.hookline.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.edge.JsonBody;
import io.hookline.edge.Params;
import io.hookline.edge.QueryParams;
import io.hookline.webhooks.SystemWebhooks;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.io.InputStream;

/**
 * The operators' webhook calls (admin key). A path of its own: under {@code /system} alone, {@code /{username}/webhooks}
 * would match {@code /system/webhooks} first.
 */
@Path("/system/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public final class SystemWebhooksResource {
    private final SystemWebhooks webhooks;
    private final JsonBody bodies;
    private final AdminKey adminKey;

    public SystemWebhooksResource(SystemWebhooks webhooks, JsonBody bodies, AdminKey adminKey) {
        this.webhooks = webhooks;
        this.bodies = bodies;
        this.adminKey = adminKey;
    }

    /** Webhooks of every user, filtered by {@code state}, {@code type}, {@code failing}, {@code username}; paged. */
    @GET
    public ObjectNode list(@HeaderParam(HttpHeaders.AUTHORIZATION) String key, @Context UriInfo uri) {
        adminKey.check(key);
        return webhooks.list(Params.ofQuery(QueryParams.of(uri.getQueryParameters())));
    }

    /** Reactivates inactive webhooks in bulk: {@code {"ids": [...]}} or the filters of {@link #list}. */
    @POST
    @Path("/reactivate")
    public ObjectNode reactivate(@HeaderParam(HttpHeaders.AUTHORIZATION) String key, InputStream body) {
        adminKey.check(key);
        return webhooks.reactivate(Params.ofJson(bodies.read(body)));
    }
}
