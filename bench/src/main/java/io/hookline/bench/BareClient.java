package io.hookline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The delivery baselines: a bare JDK {@link HttpClient} posting a notification-sized body to the same receiver —
 * what delivering costs with no database, no scheduling and no plugins.
 */
final class BareClient implements AutoCloseable {
    /** A body of the size Hookline sends (API.md 9). */
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
     * Posts {@code count} requests ({@code urls.apply(i)}) asynchronously with at most {@code inFlight} unanswered at
     * once, as Hookline's delivery engine does; returns the seconds from the first send to the last answer.
     */
    double burst(int count, int inFlight, IntFunction<String> urls) throws Exception {
        Semaphore room = new Semaphore(inFlight);
        AtomicLong failures = new AtomicLong();
        CountDownLatch done = new CountDownLatch(count);
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            room.acquire();
            HttpRequest req = HttpRequest.newBuilder(URI.create(urls.apply(i)))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(BODY))
                    .build();
            client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (e != null || r.statusCode() != 200) failures.incrementAndGet();
                room.release();
                done.countDown();
            });
        }
        if (!done.await(120, TimeUnit.SECONDS)) System.err.println("  ! bare client: posts still unanswered");
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failures.get() > 0) System.err.printf("  ! bare client: %d failed posts%n", failures.get());
        return seconds;
    }

    @Override
    public void close() {
        // HttpClient.close() exists from Java 21 only; its threads are daemons and its connections idle out.
    }
}
