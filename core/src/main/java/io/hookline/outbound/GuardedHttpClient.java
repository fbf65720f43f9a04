package io.hookline.outbound;

import io.dropwizard.lifecycle.Managed;
import io.hookline.notifier.BlockedTargetException;
import io.hookline.notifier.OutboundHttp;
import io.hookline.notifier.OutboundResponse;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one outbound HTTP client of the service, asynchronous: waiting on a receiver holds no thread, so a thousand
 * slow or hanging receivers cost sockets, not threads. Every name is resolved here and every resolved address checked
 * by the {@link NetworkGuard} before connecting, and the connection goes to the checked addresses (no second lookup an
 * attacker could answer differently). HTTP/1.1, no redirects, connect and total timeouts, a bounded answer body.
 */
public final class GuardedHttpClient implements OutboundHttp, Managed {
    private static final int MAX_BODY = 64 * 1024;
    private static final TimeValue MAX_IDLE_REUSE = TimeValue.ofSeconds(3);

    private final CloseableHttpAsyncClient client;
    private final ScheduledExecutorService deadlines;
    private final Duration requestTimeout;

    public GuardedHttpClient(NetworkGuard guard, Duration connectTimeout, Duration requestTimeout, int maxConnections,
                             int maxConnectionsPerHost, String userAgent) {
        this.requestTimeout = requestTimeout;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "hookline-http-deadlines");
            t.setDaemon(true);
            return t;
        });
        // Most deadlines are cancelled when the answer comes; left queued, thousands a second would hold their
        // exchanges (and answers) in memory until the timeout.
        timer.setRemoveOnCancelPolicy(true);
        this.deadlines = timer;
        Timeout connect = Timeout.ofMilliseconds(connectTimeout.toMillis());
        Timeout total = Timeout.ofMilliseconds(requestTimeout.toMillis());
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDnsResolver(new GuardedResolver(guard))
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxConnectionsPerHost)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect)
                                .setSocketTimeout(total)
                                .build())
                        // Receivers are plain HTTP/1.1 servers; no HTTP/2 negotiation in front of them.
                        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom().setSoTimeout(total).build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(total)
                        .setResponseTimeout(total)
                        .setRedirectsEnabled(false)
                        .build())
                // Reuse idle connections only briefly: servers commonly drop idle keep-alive connections after
                // 5 s (Node.js), the default minIntervalMs, and a close racing a new POST is a failed delivery.
                .setKeepAliveStrategy((response, context) -> MAX_IDLE_REUSE)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(userAgent)
                .build();
    }

    @Override
    public void start() {
        client.start();
    }

    @Override
    public OutboundResponse post(String url, Map<String, String> headers, byte[] body) throws IOException {
        try {
            return postAsync(url, headers, body).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while posting");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        }
    }

    @Override
    public CompletableFuture<OutboundResponse> postAsync(String url, Map<String, String> headers, byte[] body) {
        SimpleRequestBuilder post;
        try {
            post = SimpleRequestBuilder.post(url);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IOException("invalid URL: " + e.getMessage()));
        }
        String contentType = "application/json";
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Content-Type")) contentType = h.getValue();
            else post.setHeader(h.getKey(), h.getValue());
        }
        post.setBody(body, ContentType.parse(contentType));
        CompletableFuture<OutboundResponse> answer = new CompletableFuture<>();
        Future<OutboundResponse> exchange;
        try {
            exchange = client.execute(SimpleRequestProducer.create(post.build()), new BoundedResponse(),
                    new FutureCallback<>() {
                        @Override
                        public void completed(OutboundResponse response) {
                            answer.complete(response);
                        }

                        @Override
                        public void failed(Exception e) {
                            answer.completeExceptionally(translate(e));
                        }

                        @Override
                        public void cancelled() {
                            // A timeout by its type, so that the attempt's details can say so.
                            answer.completeExceptionally(new SocketTimeoutException("timed out after "
                                    + requestTimeout.toMillis() + " ms"));
                        }
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(translate(e));
        }
        // The response timeout bounds each read; this bounds the whole exchange (a slow drip cannot last).
        ScheduledFuture<?> deadline = deadlines.schedule(() -> exchange.cancel(true), requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        answer.whenComplete((r, e) -> deadline.cancel(false));
        return answer;
    }

    /** The exception a notifier sees: the guard's refusal as {@link BlockedTargetException}, anything else as I/O. */
    private static IOException translate(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BlockedHostException blocked) return new BlockedTargetException(blocked.getMessage());
        }
        if (e instanceof IOException io) return io;
        if (e instanceof IllegalArgumentException) return new IOException("invalid URL: " + e.getMessage());
        return new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }

    @Override
    public void stop() throws Exception {
        deadlines.shutdownNow();
        client.close(CloseMode.GRACEFUL);
    }

    /** Keeps the status, the headers and the first {@link #MAX_BODY} bytes of the body; the rest is read and dropped. */
    private static final class BoundedResponse extends AbstractBinResponseConsumer<OutboundResponse> {
        private int status;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        protected void start(HttpResponse response, ContentType contentType) {
            status = response.getCode();
            for (Header h : response.getHeaders()) {
                headers.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
            }
        }

        @Override
        protected int capacityIncrement() {
            return MAX_BODY;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) {
            int keep = Math.min(src.remaining(), MAX_BODY - body.size());
            for (int i = 0; i < keep; i++) body.write(src.get());
            src.position(src.limit());
        }

        @Override
        protected OutboundResponse buildResult() {
            return new OutboundResponse(status, headers, body.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void releaseResources() {
        }
    }

    /** Thrown by the resolver when a target resolves into a denied range. */
    static final class BlockedHostException extends UnknownHostException {
        BlockedHostException(String message) {
            super(message);
        }
    }

    /** Resolves, then refuses the whole name if any of its addresses is denied (an attacker picks which one we use). */
    private static final class GuardedResolver implements DnsResolver {
        private final NetworkGuard guard;

        GuardedResolver(NetworkGuard guard) {
            this.guard = guard;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            // Literals first: an ambiguous one (0177.0.0.1) stored before it was refused at create is refused here.
            Optional<String> literal = guard.refusalOfLiteral(host);
            if (literal.isPresent()) throw new BlockedHostException("target " + host + " refused: " + literal.get());
            InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
            for (InetAddress a : addresses) {
                Optional<String> refusal = guard.refusal(a);
                if (refusal.isPresent()) throw new BlockedHostException("target " + host + " refused: " + refusal.get());
            }
            return addresses;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }
}
