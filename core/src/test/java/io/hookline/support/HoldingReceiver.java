package io.hookline.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Receivers of many webhooks on one loopback port, one path each: the paths under {@code /slow/} take {@code hold}
 * to answer (a receiver busy for seconds), the others answer at once. For each path it records every request (when it
 * arrived, its {@code webhook-id}) and whether two requests were ever open at once.
 */
public final class HoldingReceiver implements AutoCloseable {
    /** One request: when it arrived (System.nanoTime) and its notification id. */
    public record Hit(long atNanos, String webhookId) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "holding-receiver");
        t.setDaemon(true);
        return t;
    });
    private final Duration hold;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, List<Hit>> hits = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, Integer> overlaps = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    public HoldingReceiver(Duration hold) {
        this.hold = hold;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        AtomicInteger openNow = open.computeIfAbsent(path, p -> new AtomicInteger());
        try (exchange; InputStream in = exchange.getRequestBody()) {
            if (openNow.incrementAndGet() > 1) overlaps.merge(path, 1, Integer::sum);
            in.readAllBytes();
            synchronized (this) {
                hits.computeIfAbsent(path, p -> new ArrayList<>())
                        .add(new Hit(System.nanoTime(), exchange.getRequestHeaders().getFirst("webhook-id")));
            }
            total.incrementAndGet();
            // A busy receiver: the answer comes after the hold (or when the receiver closes).
            if (path.startsWith("/slow/") && closed.await(hold.toMillis(), TimeUnit.MILLISECONDS)) return;
            exchange.sendResponseHeaders(200, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            openNow.decrementAndGet();
        }
    }

    /** Every request to {@code path} so far, oldest first. */
    public synchronized List<Hit> hits(String path) {
        return List.copyOf(hits.getOrDefault(path, List.of()));
    }

    public int total() {
        return total.get();
    }

    /** Paths that had two requests open at once, with how often. */
    public Map<String, Integer> overlaps() {
        return Map.copyOf(overlaps);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
