package io.hookline.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Reads a request body as JSON, bounded by the configured size limit. */
public final class JsonBody {
    /**
     * Deepest nesting accepted. What is stored is later written back inside an envelope (batch results, events
     * lists), and Jackson refuses to write past 1000 levels: an event stored deeper could never be read again.
     */
    static final int MAX_DEPTH = 512;

    private final ObjectReader reader;
    private final long maxBytes;

    public JsonBody(ObjectMapper mapper, long maxBytes) {
        // One JSON value per body: "{...} trailing" is malformed, not a value followed by noise.
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxBytes = maxBytes;
    }

    /** The parsed body, or null when it is empty. */
    public JsonNode read(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "The body could not be read");
        }
        if (bytes.length > maxBytes) {
            throw new ApiException(ErrorId.REQUEST_TOO_LARGE, "The body is larger than " + maxBytes + " bytes");
        }
        if (bytes.length == 0) return null;
        try {
            JsonNode node = reader.readTree(bytes);
            if (node == null || node.isMissingNode()) return null;
            check(node);
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "The body could not be read");
        }
    }

    /**
     * Refuses bodies nested too deep and numbers that are not finite: {@code 1e400} parses as infinity, which would
     * be stored and read back as the string "Infinity", a value the client never sent.
     */
    private static void check(JsonNode root) {
        Deque<JsonNode> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            JsonNode n = nodes.pop();
            int d = depths.pop();
            if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue())) {
                throw new ApiException(ErrorId.INVALID_PARAMETERS_FORMAT,
                        "Numbers must be finite: " + n.asText() + " is out of range",
                        List.of(Map.of("message", "a number is out of range (finite 64-bit floats only)")));
            }
            if (!n.isContainerNode()) continue;
            if (d > MAX_DEPTH) {
                throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE,
                        "The body nests deeper than " + MAX_DEPTH + " levels");
            }
            for (JsonNode child : n) {
                nodes.push(child);
                depths.push(d + 1);
            }
        }
    }

    public long maxBytes() {
        return maxBytes;
    }
}
