package io.hookline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.notifier.testkit.LoopbackReceiver;
import io.hookline.notifier.testkit.LoopbackReceiver.Answer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The test kit's {@link LoopbackReceiver} seen as a webhook receiver: each request is a notification with its
 * arrival time (for throttle gaps), and the answer to the n-th request is scripted.
 */
public final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request received. */
    public record Hit(long atNanos, LoopbackReceiver.ReceivedRequest request) {
        public JsonNode json() {
            try {
                return JSON.readTree(request.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public List<String> messages() {
            List<String> out = new ArrayList<>();
            json().path("messages").forEach(m -> out.add(m.asText()));
            return out;
        }

        public String header(String name) {
            return request.header(name);
        }

        public byte[] body() {
            return request.body();
        }
    }

    private final LoopbackReceiver http = LoopbackReceiver.start();
    private final ConcurrentLinkedQueue<Hit> hits = new ConcurrentLinkedQueue<>();
    private volatile IntFunction<Answer> answers = n -> status(200);

    public Receiver() {
        http.handler(request -> {
            int n;
            synchronized (hits) {
                hits.add(new Hit(System.nanoTime(), request));
                n = hits.size();
            }
            return answers.apply(n);
        });
    }

    /** An answer with this status and an empty body. */
    public static Answer status(int status) {
        return Answer.of(status, "");
    }

    /** An answer with this status and headers, and an empty body. */
    public static Answer status(int status, Map<String, String> headers) {
        return new Answer(status, headers, "");
    }

    /**
     * Answers 200, holding the first request until {@code release} opens (at most {@code max}); {@code arrived}
     * opens when the first request is there. For a delivery kept in flight.
     */
    public static IntFunction<Answer> holdingTheFirst(CountDownLatch arrived, CountDownLatch release, Duration max) {
        return n -> {
            if (n == 1) {
                arrived.countDown();
                try {
                    release.await(max.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return status(200);
        };
    }

    /** Sets the answer to the n-th request (1-based). */
    public Receiver answering(IntFunction<Answer> answers) {
        this.answers = answers;
        return this;
    }

    public String url() {
        return http.url();
    }

    public String url(String path) {
        return http.url(path);
    }

    public List<Hit> hits() {
        return List.copyOf(hits);
    }

    /** Waits, at most {@code timeout}, until {@code count} requests arrived; returns them. */
    public List<Hit> await(int count, Duration timeout) {
        Wait.until(() -> hits.size() >= count, timeout, "receiver to get " + count + " request(s), got " + hits.size());
        return hits();
    }

    @Override
    public void close() {
        http.close();
    }
}
