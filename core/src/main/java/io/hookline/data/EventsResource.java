package io.hookline.data;

import io.hookline.auth.MethodCalls;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.glassfish.jersey.media.multipart.FormDataMultiPart;
import org.glassfish.jersey.server.ContainerRequest;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

@Path("/{username}/events")
@Produces(MediaType.APPLICATION_JSON)
public final class EventsResource {
    private final MethodCalls calls;
    private final Attachments attachments;

    public EventsResource(MethodCalls calls, Attachments attachments) {
        this.calls = calls;
        this.attachments = attachments;
    }

    /** {@code events.create} with files: a part {@code event} (JSON) and file parts. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response createWithFiles(@Context ContainerRequest r, FormDataMultiPart form) {
        return Response.status(201).entity(attachments.create(calls.authenticate(r), form)).build();
    }

    /** Adds the file parts to an event. */
    @POST
    @Path("/{id}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response addFiles(@Context ContainerRequest r, @PathParam("id") String id, FormDataMultiPart form) {
        return Response.ok(attachments.add(calls.authenticate(r), id, form)).build();
    }

    @GET
    @Path("/{id}/{fileId}")
    @Produces(MediaType.WILDCARD)
    public Response file(@Context ContainerRequest r, @PathParam("id") String id, @PathParam("fileId") String fileId) {
        String readToken = r.getUriInfo().getQueryParameters().getFirst("readToken");
        Attachments.Download d = readToken != null
                ? attachments.download(r.getUriInfo().getPathParameters().getFirst("username"), id, fileId, readToken)
                : attachments.download(calls.authenticate(r), id, fileId);
        StreamingOutput body = out -> Files.copy(d.path(), out);
        return Response.ok(body, d.type())
                .header(HttpHeaders.CONTENT_LENGTH, d.size())
                .header("Content-Disposition", "attachment; filename*=UTF-8''"
                        + URLEncoder.encode(d.fileName(), StandardCharsets.UTF_8).replace("+", "%20"))
                .header("Digest", "SHA-256=" + d.sha256())
                .build();
    }

    /** The same file; the last segment is the file name, for URLs that read well. */
    @GET
    @Path("/{id}/{fileId}/{fileName}")
    @Produces(MediaType.WILDCARD)
    public Response namedFile(@Context ContainerRequest r, @PathParam("id") String id,
                              @PathParam("fileId") String fileId) {
        return file(r, id, fileId);
    }

    @DELETE
    @Path("/{id}/{fileId}")
    public Response deleteFile(@Context ContainerRequest r, @PathParam("id") String id,
                               @PathParam("fileId") String fileId) {
        return calls.queryWith(r, "events.deleteAttachment", Map.of("id", id, "fileId", fileId));
    }

    @GET
    public Response get(@Context ContainerRequest r) {
        return calls.query(r, "events.get", null);
    }

    @POST
    public Response create(@Context ContainerRequest r, InputStream body) {
        return calls.body(r, "events.create", body);
    }

    @GET
    @Path("/{id}")
    public Response getOne(@Context ContainerRequest r, @PathParam("id") String id) {
        return calls.query(r, "events.getOne", id);
    }

    @PUT
    @Path("/{id}")
    public Response update(@Context ContainerRequest r, @PathParam("id") String id, InputStream body) {
        return calls.update(r, "events.update", id, body);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Context ContainerRequest r, @PathParam("id") String id) {
        return calls.query(r, "events.delete", id);
    }
}
