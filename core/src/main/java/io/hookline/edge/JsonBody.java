package io.hookline.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;

/** Reads a request body as JSON, bounded by the configured size limit. */
public final class JsonBody {
    private final ObjectMapper mapper;
    private final long maxBytes;

    public JsonBody(ObjectMapper mapper, long maxBytes) {
        this.mapper = mapper;
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
            JsonNode node = mapper.readTree(bytes);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorId.INVALID_REQUEST_STRUCTURE, "The body could not be read");
        }
    }

    public long maxBytes() {
        return maxBytes;
    }
}
