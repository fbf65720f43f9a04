package io.hookline.notifier;

import java.util.List;
import java.util.Map;

/**
 * An answer to an outbound request. The body is read up to a bounded size (enough for error messages).
 *
 * @param headers header names in lower case
 */
public record OutboundResponse(int status, Map<String, List<String>> headers, String body) {

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
