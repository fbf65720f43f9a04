package io.hookline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The delivery baselines: a bare JDK {@link HttpClient} posting a notification-sized body to the same receiver —
 * what delivering costs with no database, no scheduling and no plugins.
 */
final class BareClient implements AutoCloseable {
    /** A body of the size Hookline sends (docs/API.md 9). */
    static final byte[] BODY = ("{\"messages\":[\"eventsChanged\"],\"meta\":{\"apiVersion\":\"0.1.0\","
            + "\"serverTime\":1764230400.123,\"serial\":\"2026112701\"}}").getBytes(StandardCharsets.UTF_8);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    int post(String url) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BODY))
                .build();
        return client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Posts {@code count} requests ({@code urls.apply(i)}) from {@code threads} threads, each sending one after the
     * other (the JDK client is faster so than with {@code sendAsync}); returns the seconds from the first send to the
     * last answer.
     */
    double burst(int count, int threads, IntFunction<String> urls) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                        if (post(urls.apply(i)) != 200) failures.incrementAndGet();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }, "bare-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) w.join(120_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failures.get() > 0) System.err.printf("  ! bare client: %d failed posts%n", failures.get());
        return seconds;
    }

    @Override
    public void close() {
        // HttpClient.close() exists from Java 21 only; its threads are daemons and its connections idle out.
    }
}
