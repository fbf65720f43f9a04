package io.hookline.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.config.ServiceConfig;
import io.hookline.auth.MethodCalls;
import io.hookline.edge.Meta;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code GET /service/info} and {@code /reg/service/info}: where a Pryv app learns this service's URLs
 * ({@code pryv.Service} starts from it). No authentication.
 */
// One class for both paths: a literal path, so that it wins over /{username} (JAX-RS picks the class first).
@Path("/{prefix: (reg/)?}service/info")
@Produces(MediaType.APPLICATION_JSON)
public final class ServiceInfoResource {
    private final MethodCalls calls;
    private final ServiceConfig service;
    private final String serial;

    public ServiceInfoResource(MethodCalls calls, ServiceConfig service, String serial) {
        this.calls = calls;
        this.service = service;
        this.serial = serial;
    }

    @GET
    public ObjectNode info(@Context UriInfo uri) {
        String origin = calls.baseUrl(uri);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("serial", serial);
        o.put("api", origin + "{username}/");
        o.put("register", origin + "reg/");
        o.put("access", origin + "reg/access/");
        o.put("name", service.getName());
        o.put("home", service.getHome());
        o.put("support", service.getSupport());
        o.put("terms", service.getTerms());
        o.put("eventTypes", service.getEventTypes());
        o.put("version", Meta.API_VERSION);
        // The pryv library's sign-in button loads its look and words from these (served by AssetsResource).
        o.putObject("assets").put("definitions", origin + "reg/assets/index.json");
        // No high-frequency series here: apps built with the pryv library read this flag.
        o.putObject("features").put("noHF", true);
        return o;
    }
}
