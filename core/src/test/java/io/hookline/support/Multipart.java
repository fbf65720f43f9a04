package io.hookline.support;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** A multipart/form-data body as browsers and the pryv library send it, streamed part by part. */
public final class Multipart {
    private final String boundary = "----hookline" + UUID.randomUUID().toString().replace("-", "");
    private final List<HttpRequest.BodyPublisher> parts = new ArrayList<>();

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** A plain field (the {@code event} JSON). */
    public Multipart field(String name, String value) {
        text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
        return this;
    }

    public Multipart file(String name, String fileName, String type, byte[] content) {
        return file(name, fileName, type, () -> new java.io.ByteArrayInputStream(content));
    }

    /** A file part whose bytes are read from {@code content} while the request is sent. */
    public Multipart file(String name, String fileName, String type, Supplier<InputStream> content) {
        text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + type + "\r\n\r\n");
        parts.add(HttpRequest.BodyPublishers.ofInputStream(content));
        text("\r\n");
        return this;
    }

    public HttpRequest.BodyPublisher publisher() {
        List<HttpRequest.BodyPublisher> all = new ArrayList<>(parts);
        all.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        return HttpRequest.BodyPublishers.concat(all.toArray(HttpRequest.BodyPublisher[]::new));
    }

    private void text(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        parts.add(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray()));
    }
}
