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

import java.time.Duration;

/**
 * Stamps every request with its server time (taken before any read, see {@link ChangeClock#horizon()}), answers CORS
 * pre-flights, and adds {@code meta}, {@code API-Version}, CORS and {@code Pryv-Access-Id} to every answer.
 *
 * <p>A write (other than a batch, which may hold reads) takes a horizon this node read at most
 * {@link #SERVER_TIME_AGE} ago ({@link ChangeClock#recentHorizon}). Any horizon read before a request's reads is a
 * valid sync point, and a write's own change already comes after its server time, so a sync from a write's answer
 * sees that change again whatever the reading's age: an older reading only adds the other changes of those few
 * milliseconds. On PostgreSQL a busy node then reads the database's horizon about once per that age, not once per
 * burst of writes. A read takes a fresh horizon: a client syncing on a quiet server sees each change once.
 */
@PreMatching
@Priority(1)
public final class EnvelopeFilter implements ContainerRequestFilter, ContainerResponseFilter {
    /** Short enough that serverTime stays a close reading of the server's time (clients derive their offset from it). */
    static final Duration SERVER_TIME_AGE = Duration.ofMillis(10);

    private final ChangeClock clock;
    private final Meta meta;

    public EnvelopeFilter(ChangeClock clock, Meta meta) {
        this.clock = clock;
        this.meta = meta;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String method = request.getMethod();
        boolean write = (HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method)
                || HttpMethod.DELETE.equals(method)) && !isBatch(method, request);
        request.setProperty(RequestAttributes.SERVER_TIME,
                write ? clock.recentHorizon(SERVER_TIME_AGE) : clock.horizon());
        if (HttpMethod.OPTIONS.equals(method)) {
            request.abortWith(Response.ok().build());
        }
    }

    /** {@code POST /{username}/}, the one path of a single segment that writes. */
    private static boolean isBatch(String method, ContainerRequestContext request) {
        return HttpMethod.POST.equals(method)
                && request.getUriInfo().getPathSegments().stream().filter(p -> !p.getPath().isEmpty()).count() == 1;
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
