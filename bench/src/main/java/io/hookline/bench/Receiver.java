package io.hookline.bench;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook targets on loopback, in the bench process (so that arrival times share {@link System#nanoTime} with the
 * load generator). A bare Jetty 12 core handler that never blocks a thread. What a target does is the first path
 * segment of its URL; the rest identifies the webhook:
 * <ul>
 *   <li>{@code /ok/...}: 200 at once;</li>
 *   <li>{@code /fail/...}: 500 at once;</li>
 *   <li>{@code /hang/...}: answers only after {@code hangMs} (past the server's request timeout), holding no thread.</li>
 * </ul>
 * Every arrival is reported to the current {@link Sink} (set by the scenario running) before the answer.
 */
final class Receiver implements AutoCloseable {
    /** Told of every request: its path and the {@link System#nanoTime} at which its handling began. */
    interface Sink {
        void hit(String path, long nanos);
    }

    private static final Sink IGNORE = (path, nanos) -> { };

    private final Server server;
    private static final List<String> KINDS = List.of("ok", "fail", "hang");
    private final Map<String, ServerConnector> connectors = new LinkedHashMap<>();
    private final ScheduledExecutorService hangs = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "receiver-hangs");
        t.setDaemon(true);
        return t;
    });
    private final long hangMs;
    private final AtomicLong requests = new AtomicLong();
    private volatile Sink sink = IGNORE;

    Receiver(long hangMs) throws Exception {
        this.hangMs = hangMs;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("receiver");
        threads.setDaemon(true);
        server = new Server(threads);
        // One port per kind of target: a target that hangs or fails is a server of its own, as in the wild.
        for (String kind : KINDS) {
            ServerConnector c = new ServerConnector(server, 1, 1);
            c.setHost("127.0.0.1");
            c.setPort(0);
            c.setIdleTimeout(120_000);
            // The listen backlog of common receivers (Node.js, nginx): a burst of connections is queued, not dropped.
            c.setAcceptQueueSize(511);
            server.addConnector(c);
            connectors.put(kind, c);
        }
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                long now = System.nanoTime();
                requests.incrementAndGet();
                String path = request.getHttpURI().getPath();
                sink.hit(path, now);
                if (path.startsWith("/hang/")) {
                    hangs.schedule(() -> {
                        response.setStatus(200);
                        callback.succeeded();
                    }, Receiver.this.hangMs, TimeUnit.MILLISECONDS);
                    return true;
                }
                response.setStatus(path.startsWith("/fail/") ? 500 : 200);
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    /** The port of the healthy targets. */
    int port() {
        return connectors.get("ok").getLocalPort();
    }

    /**
     * The URL of a target: {@code kind} is ok, fail or hang, each on its own port; {@code id} identifies the webhook.
     */
    String url(String kind, String id) {
        return "http://127.0.0.1:" + connectors.get(kind).getLocalPort() + "/" + kind + "/" + id;
    }

    void sink(Sink s) {
        sink = s == null ? IGNORE : s;
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() throws Exception {
        sink = IGNORE;
        hangs.shutdownNow();
        server.stop();
    }
}
