package io.hookline.notifier;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The core's outbound HTTP client. Requests time out (connect and total, from {@code config.yml}), never follow
 * redirects, and only reach addresses the operator allows: a target that resolves into a denied network fails with
 * {@link BlockedTargetException} before any connection is made.
 */
public interface OutboundHttp {

    /**
     * POSTs {@code body} to {@code url} and returns the answer, whatever its status.
     *
     * @throws BlockedTargetException when the target resolves to a denied address
     * @throws IOException            when no answer came (refused, reset, timed out, bad TLS...)
     */
    OutboundResponse post(String url, Map<String, String> headers, byte[] body) throws IOException;

    /**
     * Like {@link #post}, without holding the calling thread while the target answers: the future completes with the
     * answer, whatever its status, or exceptionally with {@link BlockedTargetException} or {@link IOException}.
     * The core's client is asynchronous; this default (for test doubles) calls {@link #post} on the calling thread.
     */
    default CompletableFuture<OutboundResponse> postAsync(String url, Map<String, String> headers, byte[] body) {
        try {
            return CompletableFuture.completedFuture(post(url, headers, body));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
