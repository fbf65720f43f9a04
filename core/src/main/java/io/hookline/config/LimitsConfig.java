package io.hookline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Bounds on what one request may send or ask for. */
public class LimitsConfig {
    /** Larger bodies are refused with 413 {@code request-too-large}. */
    @NotNull
    @MinDataSize(1024)
    @MaxDataSize(1024L * 1024 * 1024)
    @JsonProperty
    private DataSize maxRequestBody = DataSize.mebibytes(10);

    /** Larger attached files are refused with 413 {@code request-too-large}, and nothing is stored. */
    @NotNull
    @MinDataSize(1)
    @JsonProperty
    private DataSize maxAttachmentSize = DataSize.mebibytes(100);

    public DataSize getMaxAttachmentSize() {
        return maxAttachmentSize;
    }

    /** Larger result sets are refused with 413 {@code too-many-results}. */
    @Min(1)
    @Max(10_000_000)
    @JsonProperty
    private int maxResults = 100_000;

    /**
     * Most bytes of stored data one answer may hold (a batch's results together): a larger answer is refused with
     * 413 {@code too-many-results} while it is read, before it can fill the heap.
     */
    @NotNull
    @MinDataSize(64 * 1024)
    @JsonProperty
    private DataSize maxResponseBytes = DataSize.mebibytes(16);

    /**
     * Most bytes all answers being built at once may hold beyond their first 256 KiB each; past it, large answers are
     * refused with 413 {@code too-many-results} until others are written. Keep it well under the heap.
     */
    @NotNull
    @MinDataSize(1024 * 1024)
    @JsonProperty
    private DataSize responseBytesInFlight = DataSize.mebibytes(64);

    /** Most calls in one batch request. */
    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int maxBatchCalls = 1_000;

    public DataSize getMaxRequestBody() {
        return maxRequestBody;
    }

    public int getMaxResults() {
        return maxResults;
    }

    public DataSize getMaxResponseBytes() {
        return maxResponseBytes;
    }

    public DataSize getResponseBytesInFlight() {
        return responseBytesInFlight;
    }

    public int getMaxBatchCalls() {
        return maxBatchCalls;
    }
}
