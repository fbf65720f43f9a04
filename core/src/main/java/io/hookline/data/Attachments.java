package io.hookline.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.Caller;
import io.hookline.auth.User;
import io.hookline.auth.UserStore;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.edge.Params;
import io.hookline.storage.Database;
import io.hookline.storage.Ids;
import io.hookline.storage.Json;
import org.glassfish.jersey.media.multipart.BodyPartEntity;
import org.glassfish.jersey.media.multipart.FormDataBodyPart;
import org.glassfish.jersey.media.multipart.FormDataMultiPart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Events with files (multipart creates and additions) and reading a file back, by a token that can read the event
 * or by the attachment's own {@code readToken}.
 */
public final class Attachments {
    private static final int MAX_FILE_NAME = 255;
    private final Database db;
    private final EventsService events;
    private final AttachmentFiles files;

    /** A file to send: where it is and what it is. */
    public record Download(Path path, String fileName, String type, long size, String sha256) {
    }

    public Attachments(Database db, EventsService events, AttachmentFiles files) {
        this.db = db;
        this.events = events;
        this.files = files;
    }

    /** {@code events.create} from a multipart body: one part {@code event} (the event's JSON), then file parts. */
    public ObjectNode create(Caller caller, FormDataMultiPart form) {
        FormDataBodyPart eventPart = form == null ? null : form.getField("event");
        if (eventPart == null) {
            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE,
                    "A multipart events.create needs a part named \"event\" holding the event's JSON");
        }
        JsonNode event;
        try {
            event = Json.mapper().readTree(eventPart.getValue());
        } catch (IOException e) {
            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "The \"event\" part is not valid JSON");
        }
        Params params = Params.ofJson(event);
        return withStoredFiles(caller, form, stored -> events.create(caller, params, stored));
    }

    /** Adds the file parts of a multipart body to an existing event. */
    public ObjectNode add(Caller caller, String eventId, FormDataMultiPart form) {
        return withStoredFiles(caller, form, stored -> {
            if (stored == null) {
                throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "The body holds no file part");
            }
            return events.addAttachments(caller, eventId, stored);
        });
    }

    /** The file, for a caller that can read its event. */
    public Download download(Caller caller, String eventId, String fileId) {
        return find(events.readable(caller, eventId), caller.userId(), fileId, null);
    }

    /** The file, for whoever holds its {@code readToken}. */
    public Download download(String username, String eventId, String fileId, String readToken) {
        User user = db.read(h -> UserStore.find(h, username))
                .orElseThrow(() -> io.hookline.auth.Authenticator.unknownUser(username));
        Event e = db.read(h -> EventStore.find(h, user.id(), eventId))
                .orElseThrow(() -> ApiException.unknownResource("event", eventId));
        return find(e, user.id(), fileId, readToken);
    }

    private Download find(Event e, long userId, String fileId, String readToken) {
        if (e.attachments() != null) {
            for (JsonNode a : e.attachments()) {
                if (!a.path("id").asText().equals(fileId)) continue;
                if (readToken != null && !readToken.equals(a.path("readToken").asText())) break;
                return new Download(files.existing(userId, fileId), a.path("fileName").asText(),
                        a.path("type").asText(), a.path("size").asLong(),
                        a.path("integrity").asText().substring("sha256-".length()));
            }
        }
        if (readToken != null) {
            throw new ApiException(ErrorId.INVALID_ACCESS_TOKEN, "Unknown attachment, or not its readToken");
        }
        throw ApiException.unknownResource("attachment", fileId);
    }

    private interface Write {
        ObjectNode apply(ArrayNode stored);
    }

    /** Stores every file part, then runs the write; if anything fails, the stored files go. */
    private ObjectNode withStoredFiles(Caller caller, FormDataMultiPart form, Write write) {
        ArrayNode stored = JsonNodeFactory.instance.arrayNode();
        try {
            if (form != null) {
                for (FormDataBodyPart part : form.getFields().values().stream().flatMap(List::stream).toList()) {
                    String fileName = part.getContentDisposition().getFileName();
                    if (fileName == null) {
                        if (!"event".equals(part.getName())) {
                            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "Part \"" + part.getName()
                                    + "\" is neither the event nor a file (a file part has a filename)");
                        }
                        continue;
                    }
                    stored.add(storeOne(caller.userId(), part, fileName));
                }
            }
            return write.apply(stored.isEmpty() ? null : stored);
        } catch (RuntimeException e) {
            stored.forEach(a -> files.delete(caller.userId(), a.path("id").asText()));
            throw e;
        }
    }

    private ObjectNode storeOne(long userId, FormDataBodyPart part, String fileName) {
        if (fileName.isBlank() || fileName.length() > MAX_FILE_NAME) {
            throw ApiException.invalidParameters("A file name must be 1 to " + MAX_FILE_NAME + " characters");
        }
        AttachmentFiles.Stored s;
        try (InputStream in = ((BodyPartEntity) part.getEntity()).getInputStream()) {
            s = files.store(userId, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("id", s.id());
        a.put("fileName", fileName);
        a.put("type", part.getMediaType() == null ? "application/octet-stream" : part.getMediaType().toString());
        a.put("size", s.size());
        a.put("readToken", Ids.newToken());
        a.put("integrity", "sha256-" + s.sha256());
        return a;
    }
}
