package io.hookline.data;

import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.storage.Ids;
import io.hookline.storage.WriteTx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Where attached files live: one file per attachment under {@code <directory>/<user id>/<attachment id>}, beside the
 * database. Files are written while their SHA-256 is computed, never held whole in memory, and the same on every
 * database engine (the rows only describe them). The only class that touches those files.
 */
public final class AttachmentFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AttachmentFiles.class);
    private final Path directory;
    private final long maxSize;

    /** A file just stored: its attachment id, size and SHA-256 (base64). */
    public record Stored(String id, long size, String sha256) {
    }

    public AttachmentFiles(Path directory, long maxSize) {
        this.directory = directory;
        this.maxSize = maxSize;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the attachments directory " + directory, e);
        }
    }

    /**
     * Copies {@code in} to a new file of the user. Over {@code maxSize} bytes: 413 {@code request-too-large}, and
     * nothing stays on disk.
     */
    public Stored store(long userId, InputStream in) {
        String id = Ids.newId();
        Path target = path(userId, id);
        Path partial = target.resolveSibling(id + ".part");
        try {
            Files.createDirectories(target.getParent());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    size += n;
                    if (size > maxSize) {
                        throw new ApiException(ErrorId.REQUEST_TOO_LARGE, "A file is over the limit of " + maxSize
                                + " bytes (limits.maxAttachmentSize)", Map.of("limit", maxSize));
                    }
                    out.write(buffer, 0, n);
                }
            }
            Files.move(partial, target);
            return new Stored(id, size, Base64.getEncoder().encodeToString(sha.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store an attachment", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(partial);
        }
    }

    public Path path(long userId, String attachmentId) {
        return directory.resolve(Long.toString(userId)).resolve(attachmentId);
    }

    /**
     * The file of an attachment the database describes. One that is missing is the operator's problem (a folder
     * not shared by every node, a file removed by hand): it is logged for them, and the client is told the file is not here (404 {@code unknown-resource}).
     */
    public Path existing(long userId, String attachmentId) {
        Path p = path(userId, attachmentId);
        if (Files.isRegularFile(p)) return p;
        LOG.error("The file of attachment {} of user {} is missing from {}: with several nodes, attachments.directory "
                + "must be one folder that every node shares", attachmentId, userId, directory);
        throw new ApiException(ErrorId.UNKNOWN_RESOURCE, "The file of attachment \"" + attachmentId
                + "\" is missing on this server");
    }

    /**
     * At start-up: whether this folder holds the attachments the database describes. Given a sample of them, it does
     * when one of their files is here: a file can be lost on its own, a wrong folder (a node's own empty folder
     * while its peers share another, a database moved without its folder) has none of them.
     */
    public boolean holdsAnyOf(List<EventStore.AttachmentRef> described) {
        return described.isEmpty()
                || described.stream().anyMatch(a -> Files.isRegularFile(path(a.userId(), a.attachmentId())));
    }

    public Path directory() {
        return directory;
    }

    /** Removes a stored file now (a write that would have described it failed). */
    public void delete(long userId, String attachmentId) {
        deleteQuietly(path(userId, attachmentId));
    }

    /** Removes the event's files once the write that dropped them is committed. */
    public void deleteAfterCommit(WriteTx tx, long userId, Event e) {
        if (e.attachments() == null) return;
        e.attachments().forEach(a -> deleteAfterCommit(tx, userId, a.path("id").asText()));
    }

    public void deleteAfterCommit(WriteTx tx, long userId, String attachmentId) {
        tx.afterCommit(() -> delete(userId, attachmentId));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", p, e.getMessage());
        }
    }
}
