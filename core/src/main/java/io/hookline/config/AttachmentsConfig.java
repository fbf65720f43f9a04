package io.hookline.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;

/** Where attached files are kept. */
public class AttachmentsConfig {
    /** Empty (or unset): a folder {@code attachments} beside the database file. */
    @JsonProperty
    private String directory = "";

    public Path directory(String databasePath) {
        if (directory != null && !directory.isBlank()) return Path.of(directory);
        Path parent = Path.of(databasePath).toAbsolutePath().getParent();
        return (parent == null ? Path.of(".") : parent).resolve("attachments");
    }
}
