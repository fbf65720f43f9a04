package io.hookline.notify;

import io.hookline.notifier.BlockedTargetException;
import io.hookline.notifier.OutboundHttp;
import io.hookline.notifier.OutboundResponse;
import io.dropwizard.lifecycle.Managed;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one outbound HTTP client of the service. Every name is resolved here and every resolved address checked by
 * the {@link NetworkGuard} before connecting, and the connection goes to the checked addresses (no second lookup
 * an attacker could answer differently). No redirects, connect and total timeouts, a bounded answer body.
 */
public final class GuardedHttpClient implements OutboundHttp, Managed {
    private static final int MAX_BODY = 64 * 1024;
    private static final TimeValue MAX_IDLE_REUSE = TimeValue.ofSeconds(3);

    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;
    private final Duration requestTimeout;
    private final String userAgent;

    public GuardedHttpClient(NetworkGuard guard, Duration connectTimeout, Duration requestTimeout, int maxConnections,
                             String userAgent) {
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hookline-http-deadlines");
            t.setDaemon(true);
            return t;
        });
        Timeout connect = Timeout.ofMilliseconds(connectTimeout.toMillis());
        Timeout total = Timeout.ofMilliseconds(requestTimeout.toMillis());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new GuardedResolver(guard))
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxConnections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect)
                                .setSocketTimeout(total)
                                // Check every pooled connection before reuse (default: only after 2 s idle).
                                // A receiver that closed an idle keep-alive connection would otherwise make
                                // the next POST fail with "failed to respond": a failed run it did not cause.
                                .setValidateAfterInactivity(TimeValue.ZERO_MILLISECONDS)
                                .build())
                        .build())
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

    public String userAgent() {
        return userAgent;
    }

    @Override
    public OutboundResponse post(String url, Map<String, String> headers, byte[] body) throws IOException {
        HttpPost post;
        try {
            post = new HttpPost(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid URL: " + e.getMessage());
        }
        String contentType = "application/json";
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Content-Type")) contentType = h.getValue();
            else post.setHeader(h.getKey(), h.getValue());
        }
        post.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
        // The response timeout bounds each read; this bounds the whole exchange (a slow drip cannot hold a thread).
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return client.execute(post, response -> {
                Map<String, List<String>> out = new LinkedHashMap<>();
                for (Header h : response.getHeaders()) {
                    out.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
                }
                return new OutboundResponse(response.getCode(), out, readBounded(response.getEntity()));
            });
        } catch (BlockedHostException e) {
            throw new BlockedTargetException(e.getMessage());
        } catch (IOException e) {
            if (post.isCancelled()) throw new IOException("timed out after " + requestTimeout.toMillis() + " ms");
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    private static String readBounded(HttpEntity entity) throws IOException {
        if (entity == null) return "";
        try (InputStream in = entity.getContent()) {
            return new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void stop() throws Exception {
        deadlines.shutdownNow();
        client.close();
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
