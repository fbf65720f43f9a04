package io.hookline.signin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The few static files of the web pages, built into the jar: no CDN, so the pages work without internet. */
@Path("/reg/assets/{name}")
public final class AssetsResource {
    /** {@code index.json} and the button's files are the assets the pryv library loads for its sign-in button. */
    private static final Map<String, String> FILES = Map.of(
            "sign-in.css", "text/css;charset=utf-8",
            "index.json", "application/json",
            "button.css", "text/css;charset=utf-8",
            "button.html", "text/html;charset=utf-8",
            "messages.json", "application/json");

    @GET
    public Response get(@PathParam("name") String name) {
        String type = FILES.get(name);
        if (type == null) throw new NotFoundException();
        try (InputStream in = AssetsResource.class.getResourceAsStream("/web/" + name)) {
            if (in == null) throw new NotFoundException();
            return Response.ok(in.readAllBytes(), type).header("Cache-Control", "public, max-age=3600").build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
