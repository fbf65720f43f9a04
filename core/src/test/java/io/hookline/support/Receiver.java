package io.hookline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A real webhook receiver on loopback that records what it gets and answers as a test tells it to. */
public final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request received. */
    public record Hit(long atNanos, Map<String, List<String>> headers, byte[] body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
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
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }
    }

    /** What to answer: status, headers, body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer status(int status) {
            return new Answer(status, Map.of(), "");
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Hit> hits = new ConcurrentLinkedQueue<>();
    private volatile Function<Integer, Answer> answers = n -> Answer.status(200);

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            hits.add(new Hit(System.nanoTime(), Map.copyOf(exchange.getRequestHeaders()), body));
            Answer a = answers.apply(hits.size());
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = a.body().getBytes();
            exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    /** Sets the answer to the n-th request (1-based). */
    public Receiver answering(Function<Integer, Answer> answers) {
        this.answers = answers;
        return this;
    }

    public String url() {
        return url("/hook");
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
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
        server.stop(0);
    }
}
