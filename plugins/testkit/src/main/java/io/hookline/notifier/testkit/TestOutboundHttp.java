package io.hookline.notifier.testkit;

import io.hookline.notifier.OutboundHttp;
import io.hookline.notifier.OutboundResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A real {@link OutboundHttp} for tests, on {@link HttpClient}: HTTP/1.1, connect and total timeouts, redirects
 * never followed, a {@code User-Agent}, and the answer's body read up to {@link #MAX_BODY_BYTES}, as the server's
 * client does.
 *
 * <p>Unlike the server's client it has <b>no network guard</b>: it reaches loopback and private addresses, so that
 * tests can run their receivers on {@code 127.0.0.1}. A plugin therefore cannot test here that the guard blocks
 * it; it never needs to, as the guard is the core's job.
 */
public final class TestOutboundHttp implements OutboundHttp {
    /** How much of an answer's body is kept: enough for error messages. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final String USER_AGENT = "Hookline-TestKit";

    private final HttpClient client;
    private final Duration requestTimeout;

    /** A client with a 5 s connect timeout and a 10 s total timeout (the server's defaults). */
    public TestOutboundHttp() {
        this(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    /**
     * @param connectTimeout how long a connection may take to open
     * @param requestTimeout how long a whole request may take, answer included
     */
    public TestOutboundHttp(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // HTTP/1.1 like the server's client: no h2c upgrade headers in front of receivers.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /** Runs {@link #post} on a thread of its own, so that the caller does not wait, as with the server's client. */
    @Override
    public CompletableFuture<OutboundResponse> postAsync(String url, Map<String, String> headers, byte[] body) {
        CompletableFuture<OutboundResponse> answer = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                answer.complete(post(url, headers, body));
            } catch (IOException | RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }, "testkit-post");
        t.setDaemon(true);
        t.start();
        return answer;
    }

    @Override
    public OutboundResponse post(String url, Map<String, String> headers, byte[] body) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("Invalid url " + url + ": " + e.getMessage(), e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::setHeader);
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String text;
            try (InputStream in = response.body()) {
                // Bounded read: a misbehaving receiver must not fill the memory of the caller.
                text = new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
            }
            Map<String, List<String>> lower = new TreeMap<>();
            response.headers().map().forEach((name, values) ->
                    lower.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            return new OutboundResponse(response.statusCode(), Map.copyOf(lower), text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while posting to " + url);
        }
    }
}
