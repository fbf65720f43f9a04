package io.hookline.notifier.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP receiver on {@code 127.0.0.1} and a free port, for plugin tests: it records every request and answers
 * what the test scripts. Answers come from, in order: the queue filled by {@link #enqueue}, one per request; else the
 * {@link #handler} when set; else the {@link #respondWith default answer} (200, empty body).
 *
 * <pre>{@code
 * try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
 *     receiver.enqueue(Answer.of(429, "rate_limited").withHeader("Retry-After", "3"));
 *     DeliveryOutcome outcome = kit.deliver(receiver.url(), settings, "eventsChanged");
 *     assertThat(receiver.lastRequest().header("content-type")).isEqualTo("application/json");
 * }
 * }</pre>
 */
public final class LoopbackReceiver implements AutoCloseable {
    /** Requests larger than this are cut: a receiver in a test never needs more. */
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final ConcurrentLinkedQueue<Answer> queued = new ConcurrentLinkedQueue<>();
    private final List<ReceivedRequest> requests = new ArrayList<>();
    private volatile Function<ReceivedRequest, Answer> handler;
    private volatile Answer fallback = Answer.of(200, "");

    /** One request as received: method, path (with query), headers with lower-case names, raw body. */
    public record ReceivedRequest(String method, String path, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header (name in any case), or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer to send: status, headers, UTF-8 body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public Answer {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        public static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body);
        }

        /** A copy with one more header. */
        public Answer withHeader(String name, String value) {
            Map<String, String> h = new TreeMap<>(headers);
            h.put(name, value);
            return new Answer(status, h, body);
        }
    }

    private LoopbackReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a receiver on {@code 127.0.0.1} and a free port. */
    public static LoopbackReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            // One thread per request in progress: a test that holds answers must not starve the others.
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "loopback-receiver");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            LoopbackReceiver receiver = new LoopbackReceiver(server, executor);
            server.createContext("/", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a loopback receiver", e);
        }
    }

    /** {@code http://127.0.0.1:<port>/hook}. */
    public String url() {
        return url("/hook");
    }

    /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
    public String url(String path) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort()
                + (path.startsWith("/") ? path : "/" + path);
    }

    /** Answers the next requests with these, one each, before falling back to the handler or default. */
    public LoopbackReceiver enqueue(Answer... answers) {
        queued.addAll(List.of(answers));
        return this;
    }

    /** Computes the answer from the request (for instance to verify a signature), when no queued answer is left. */
    public LoopbackReceiver handler(Function<ReceivedRequest, Answer> handler) {
        this.handler = handler;
        return this;
    }

    /** The answer when neither a queued answer nor a handler applies (200 with an empty body at first). */
    public LoopbackReceiver respondWith(Answer answer) {
        this.fallback = Objects.requireNonNull(answer, "answer");
        return this;
    }

    /** Every request so far, oldest first. */
    public List<ReceivedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The latest request; fails when none came. */
    public ReceivedRequest lastRequest() {
        synchronized (requests) {
            if (requests.isEmpty()) throw new AssertionError("The receiver got no request");
            return requests.get(requests.size() - 1);
        }
    }

    /** Waits until at least {@code count} requests came, for at most {@code timeout}; returns them all. */
    public List<ReceivedRequest> awaitRequests(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (requests.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Expected " + count + " request(s) within " + timeout + ", got "
                            + requests.size());
                }
                TimeUnit.NANOSECONDS.timedWait(requests, left);
            }
            return List.copyOf(requests);
        }
    }

    /** Forgets the recorded requests and queued answers. */
    public void reset() {
        queued.clear();
        synchronized (requests) {
            requests.clear();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES);
            }
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            ReceivedRequest request = new ReceivedRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(), Map.copyOf(headers), body);
            Answer answer;
            try {
                answer = answerFor(request);
            } catch (RuntimeException e) {
                answer = Answer.of(500, "receiver handler failed: " + e);
            }
            // Record before answering, so that a test reading requests() right after deliver() returns sees it.
            synchronized (requests) {
                requests.add(request);
                requests.notifyAll();
            }
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (!answer.headers().keySet().stream().anyMatch(n -> n.equalsIgnoreCase("content-type"))) {
                exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            }
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    private Answer answerFor(ReceivedRequest request) {
        Answer next = queued.poll();
        if (next != null) return next;
        Function<ReceivedRequest, Answer> h = handler;
        return h != null ? h.apply(request) : fallback;
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
