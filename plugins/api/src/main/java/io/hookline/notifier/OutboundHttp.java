package io.hookline.notifier;

import java.io.IOException;
import java.util.Map;

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
}
