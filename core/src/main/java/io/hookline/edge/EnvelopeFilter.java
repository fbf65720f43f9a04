package io.hookline.edge;

import io.hookline.auth.Methods;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.ChangeClock;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * Stamps every request with its server time (taken before any read, see {@link ChangeClock#horizon()}), answers CORS
 * pre-flights, and adds {@code meta}, {@code API-Version}, CORS and {@code Pryv-Access-Id} to every answer.
 */
@PreMatching
@Priority(1)
public final class EnvelopeFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private final ChangeClock clock;
    private final Meta meta;

    public EnvelopeFilter(ChangeClock clock, Meta meta) {
        this.clock = clock;
        this.meta = meta;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(RequestAttributes.SERVER_TIME, clock.horizon());
        if (HttpMethod.OPTIONS.equals(request.getMethod())) {
            request.abortWith(Response.ok().build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object time = request.getProperty(RequestAttributes.SERVER_TIME);
        long serverTime = time instanceof Long l ? l : clock.horizon();
        if (response.getEntity() instanceof ObjectNode body) {
            body.set("meta", meta.at(serverTime));
            response.getHeaders().putSingle("Content-Type", MediaType.APPLICATION_JSON_TYPE);
        }
        MultivaluedMap<String, Object> h = response.getHeaders();
        h.putSingle("API-Version", Meta.API_VERSION);
        String origin = request.getHeaderString("Origin");
        h.putSingle("Access-Control-Allow-Origin", origin == null ? "*" : origin);
        h.putSingle("Access-Control-Allow-Credentials", "true");
        h.putSingle("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        String asked = request.getHeaderString("Access-Control-Request-Headers");
        h.putSingle("Access-Control-Allow-Headers", asked != null ? asked : "Authorization, Content-Type");
        h.putSingle("Access-Control-Expose-Headers", "API-Version, Pryv-Access-Id");
        h.putSingle("Access-Control-Max-Age", "86400");
        if (origin != null) h.add("Vary", "Origin");
        Object accessId = request.getProperty(RequestAttributes.ACCESS_ID);
        if (accessId != null) h.putSingle("Pryv-Access-Id", accessId.toString());
    }
}
